# nxpool front door. `make demo` and `make test` are all a new user needs;
# each first installs any missing Debian packages (scripts/install-deps.sh).

BUILD     ?= build
CC        ?= cc
CXX       ?= c++
BUILDTYPE ?= RelWithDebInfo
PREFIX    ?= /usr/local
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_ARGS ?=

.PHONY: all deps configure build demo test test-clang test-sanitize fuzz-smoke install bench clean

all: build

deps:
	@scripts/install-deps.sh

# RelWithDebInfo here means -O2 with line tables only (-g1): file:line in
# backtraces, sanitizer reports and perf stay, but full -g costs about 40 %
# more CPU per source on this template-heavy code (report/sarif_report.cpp:
# 22.5 s with -g, 16.2 s with -g1, 15.8 s with none). For variables and
# types in a debugger use BUILDTYPE=Debug.
RELWITHDEBINFO_FLAGS = -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
                       -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG"

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILDTYPE) $(RELWITHDEBINFO_FLAGS) \
	    -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The demo needs two targets, not the whole suite: build just those.
demo: configure
	@cmake --build $(BUILD) -j $(JOBS) --target legacy_driver nxpool
	@$(BUILD)/examples/legacy_driver/legacy_driver
	@echo
	@echo "What 'nxpool scan' reads from the same sources and their compile commands:"
	@echo "$$ nxpool scan --modes -p $(BUILD)/compile_commands.json examples/legacy_driver"
	@$(BUILD)/src/cli/nxpool scan --modes -p $(BUILD)/compile_commands.json examples/legacy_driver; [ $$? -le 1 ]
	@echo "$$ nxpool scan -p $(BUILD)/compile_commands.json examples/legacy_driver"
	@$(BUILD)/src/cli/nxpool scan -p $(BUILD)/compile_commands.json examples/legacy_driver; [ $$? -le 1 ]

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The same suite built with Clang, then under AddressSanitizer and ThreadSanitizer.
test-clang:
	@$(MAKE) --no-print-directory test BUILD=build-clang CMAKE_ARGS="-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++"
# UBSan findings are fatal (-fno-sanitize-recover=all): a report fails the test.
test-sanitize:
	@$(MAKE) --no-print-directory test BUILD=build-asan BUILDTYPE=Debug CMAKE_ARGS="-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DNXPOOL_SANITIZE=address,undefined -DCMAKE_C_FLAGS=-fno-sanitize-recover=all -DCMAKE_CXX_FLAGS=-fno-sanitize-recover=all"
	@$(MAKE) --no-print-directory test BUILD=build-tsan BUILDTYPE=Debug CMAKE_ARGS="-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DNXPOOL_SANITIZE=thread"

# Every libFuzzer target for FUZZ_SECONDS (default 30) under ASan+UBSan
# (fuzz/run_smoke.sh); only the fuzz targets and what they link are built.
FUZZ_TARGETS = lexer scan msbuild sln sources compdb response ifexpr pe suppress
fuzz-smoke: deps
	@cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNXPOOL_BUILD_FUZZERS=ON \
	    -DNXPOOL_BUILD_TESTS=OFF -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
	    "-DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" >/dev/null
	@cmake --build build-fuzz -j $(JOBS) --target $(FUZZ_TARGETS:%=nxpool_%_fuzz)
	@fuzz/run_smoke.sh build-fuzz

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

bench:
	@scripts/install-deps.sh --bench
	@cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DNXPOOL_BUILD_BENCHMARKS=ON -DNXPOOL_BUILD_TESTS=OFF >/dev/null
	@cmake --build build-bench -j $(JOBS)
	@bench/run.sh build-bench

clean:
	rm -rf build build-clang build-asan build-tsan build-bench build-fuzz
