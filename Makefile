# Thin wrapper over CMake: the common loops as make targets.
#   make demo    install what is missing, build, run the flagship demo
#   make check   install what is missing, build, run every test, then run them
#                again under AddressSanitizer + UndefinedBehaviorSanitizer
#   make test    the tests of the normal build only (the quick loop)
#   make asan    the sanitizer build and its tests only
#   make fuzz    every libFuzzer harness for FUZZ_TIME seconds (default 60)
#   make fuzz-diff  the Unicorn differential tests for N instructions from SEED
#   make bench   rasim against qemu-user and Unicorn (tests/bench/README.md);
#                BENCH_QUICK=1 for a quick smoke run, BENCH_ARGS for options
#   make install install librasim, rasim.h, rasim.pc and the rasim CLI (PREFIX=/usr/local)

BUILD     ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_TIME ?= 60
FUZZ_RUNS ?= 20000
PREFIX    ?= /usr/local
JOBS      ?= $(shell nproc 2>/dev/null || echo 2)
CMAKE_FLAGS ?=
ifeq ($(CI),true)
CMAKE_FLAGS += -DRASIM_WERROR=ON
endif

.PHONY: all deps deps-check configure build demo check test asan fuzz fuzz-build fuzz-smoke fuzz-diff bench install format clean

all: build

deps:
	@sh scripts/install-deps.sh

deps-check:
	@sh scripts/install-deps.sh check

$(BUILD)/CMakeCache.txt: | deps
	cmake -S . -B $(BUILD) -DCMAKE_INSTALL_PREFIX=$(PREFIX) $(CMAKE_FLAGS)

configure: deps $(BUILD)/CMakeCache.txt

build: configure
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@sh examples/demo.sh $(BUILD)

check: deps-check
	$(MAKE) test asan fuzz-smoke

test: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan: deps
	cmake -S . -B $(ASAN_BUILD) -DRASIM_SANITIZE=ON -DRASIM_KERNEL_DIR=$(CURDIR)/$(BUILD)/kernel $(CMAKE_FLAGS)
	cmake --build $(ASAN_BUILD) -j $(JOBS)
	cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

fuzz-build: deps
	CC=clang cmake -S . -B $(FUZZ_BUILD) -DRASIM_FUZZ=ON -DRASIM_KERNEL_DIR=$(CURDIR)/$(BUILD)/kernel $(CMAKE_FLAGS)
	cmake --build $(FUZZ_BUILD) -j $(JOBS)

# A fixed number of inputs per harness, as part of make check.
fuzz-smoke: fuzz-build
	sh tests/fuzz/run.sh $(FUZZ_BUILD) runs $(FUZZ_RUNS) $(CURDIR)/$(BUILD)/kernel

fuzz: fuzz-build
	sh tests/fuzz/run.sh $(FUZZ_BUILD) time $(FUZZ_TIME) $(CURDIR)/$(BUILD)/kernel

# The Unicorn differential tests for long runs: N instructions per
# architecture from SEED (default: the seed make check uses).
N ?= 20000000
SEED ?=
fuzz-diff: build
	cmake --build $(BUILD) --target test_a64_diff_unicorn test_rv64_diff_unicorn -j $(JOBS)
	RASIM_DIFF_SEED=$(SEED) RASIM_DIFF_INSNS=$(N) CK_TIMEOUT_MULTIPLIER=1000 \
	    $(BUILD)/tests/aarch64/test_a64_diff_unicorn
	RASIM_DIFF_SEED=$(SEED) RASIM_DIFF_INSNS=$(N) CK_TIMEOUT_MULTIPLIER=1000 \
	    $(BUILD)/tests/rv64/test_rv64_diff_unicorn

bench: deps-check build
	cmake --build $(BUILD) --target rasim-bench -j $(JOBS)
	$(BUILD)/tests/bench/rasim-bench --out $(BUILD)/bench $(BENCH_ARGS)

install: build
	cmake --install $(BUILD)

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
