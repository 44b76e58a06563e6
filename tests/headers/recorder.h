/* What the recording stand-ins in recorder.c saw last. */
#ifndef NXPOOL_TESTS_RECORDER_H
#define NXPOOL_TESTS_RECORDER_H
#ifdef __cplusplus
extern "C" {
#endif
extern ULONG recorded_lookaside_flags;
extern ULONG recorded_mdl_priority;
void recorder_set_os(unsigned major, unsigned minor, int fail);
#ifdef __cplusplus
}
#endif
#endif
