# Code the collector, the report and the demos use (lib/): one ELF
# symbol-table reader, one /proc/PID/maps reader, the critical-path walk, the
# latency histograms, the string buffer, the one CPU count. One archive,
# linked by every program and by the unit tests.
SCHEDLAB_LIB_SRCS := $(wildcard lib/*.c)
SCHEDLAB_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(SCHEDLAB_LIB_SRCS))
SCHEDLAB_LIB := $(BUILD)/lib/libschedlab.a

$(SCHEDLAB_LIB): $(SCHEDLAB_LIB_OBJS) $(lastword $(MAKEFILE_LIST))
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $(filter %.o,$^)
# The thread states are the collector's (bpf/schedtrace.h).
$(SCHEDLAB_LIB_OBJS): CFLAGS += -Ibpf
# lib/demangle.c reads C++ names with libstdc++'s demangler.
DEMANGLE_LIBS := -lstdc++
UNIT_LDLIBS += $(DEMANGLE_LIBS)
