#ifndef NXPOOL_TESTS_IMAGE_H
#define NXPOOL_TESTS_IMAGE_H
#define IMG_CAT2_(a, b) a##_##b
#define IMG_CAT_(a, b) IMG_CAT2_(a, b)
#define IMG_FN(name) IMG_CAT_(IMG, name)
#ifdef __cplusplus
#define IMG_API extern "C" __attribute__((visibility("default")))
#else
#define IMG_API __attribute__((visibility("default")))
#endif
#endif
