# schedlab: everything is built into $(BUILD); nothing generated lives in git.
#
#   make            demos, eBPF collector, report generator
#   make test       every test (unit, demos, sanitizers, eBPF/perf integration)
#   make bench      overhead benchmarks (ratios measured side by side)
#   make format     clang-format every C file
#   make clean

BUILD ?= build
CC ?= gcc
CLANG ?= clang
# Debian installs bpftool in /usr/sbin, which is not on a plain user's PATH.
ifeq ($(origin BPFTOOL),undefined)
BPFTOOL := $(firstword $(shell command -v bpftool 2>/dev/null) $(wildcard /usr/sbin/bpftool /sbin/bpftool) bpftool)
endif
LLVM_STRIP ?= llvm-strip
ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')

# SAN_FLAGS is set by `make test` for the AddressSanitizer/UBSan build in build/asan.
SAN_FLAGS ?=
CFLAGS := -std=gnu11 -O2 -g -fno-omit-frame-pointer -Wall -Wextra -Werror \
	  -D_GNU_SOURCE -MMD -MP -Ilib $(SAN_FLAGS) $(EXTRA_CFLAGS)
LDFLAGS := $(SAN_FLAGS) $(EXTRA_LDFLAGS)
JANSSON_LIBS := -ljansson

ifeq ($(V),1)
Q :=
else
Q := @
endif

.PHONY: all demos collectors reports test unit bench format clean
# Objects are intermediate files of the pattern rules: keep them, so a
# rebuild compiles only what changed.
.SECONDARY:
all: demos collectors reports

# Each part says how it is built in its own fragment.
include lib/build.mk
include demos/build.mk
include collectors/build.mk
include reports/build.mk
include tests/build.mk

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

test: all unit
	$(Q)tests/run

bench: all
	$(Q)tests/bench/run

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
