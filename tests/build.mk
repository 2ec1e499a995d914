# Unit tests: tests/unit/test_*.c, cmocka, linked with the libraries they test.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
UNIT_LIBS += $(DEMO_LIB) $(SCHEDLAB_LIB)

unit: $(UNIT_TESTS)

$(BUILD)/obj/tests/unit/%.o: CFLAGS += $(REPORT_INCLUDES) -Ibpf -Icollectors -Idemos/common

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(UNIT_LIBS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(JANSSON_LIBS) $(UNIT_LDLIBS) -lpthread -lm $(UNIT_EXTRA_LIBS)

# sched.json's writer and the snapshot's arithmetic, from hand-built
# snapshots: no BPF program is loaded, no root needed.
SCHED_JSON_OBJS := $(addprefix $(BUILD)/obj/collectors/,sched_json.o causes.o other_work.o sched_snapshot.o syscall_names.o)
$(BUILD)/tests/test_sched_json: $(SCHED_JSON_OBJS)
# (sched_json() builds the causes too, and uses the one histogram quantile
# of lib/hist.c: their libraries again after the objects)
$(BUILD)/tests/test_sched_json: UNIT_EXTRA_LIBS := $(CAUSES_LIB) $(SCHEDLAB_LIB) $(JANSSON_LIBS) -lelf -lbpf
$(BUILD)/obj/tests/unit/test_sched_json.o: CFLAGS += -Icollectors -I$(BUILD)/gen
$(BUILD)/obj/tests/unit/test_sched_json.o: $(SYSCALL_TABLE)

# The collector's spool of state changes, in a temporary file.
$(BUILD)/tests/test_spool: $(BUILD)/obj/collectors/spool.o

# The same user-space code again under AddressSanitizer and UBSan.
SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
.PHONY: sanitize
sanitize:
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/asan SAN_FLAGS='$(SAN)' demos reports unit collectors

test: sanitize

# Test programs of known behaviour the integration suites trace.
WORKLOAD_SRCS := $(wildcard tests/workloads/*.c)
WORKLOADS := $(patsubst tests/workloads/%.c,$(BUILD)/tests/workloads/%,$(WORKLOAD_SRCS))
unit: $(WORKLOADS)

$(BUILD)/tests/workloads/%: $(BUILD)/obj/tests/workloads/%.o
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lpthread

# Demo 09 (tests/fixtures/demo09/): a demo the product does not have, added
# the way a new demo is: its module, and its line appended to a copy of
# reports/demos/modules.def, built into a copy of the module table. Linked
# before the report's library, whose own table it replaces.
DEMO09_GEN := $(BUILD)/gen/demo09
DEMO09_OBJS := $(BUILD)/obj/demo09/registry.o $(BUILD)/obj/demo09/09_handoff.o
$(DEMO09_GEN)/modules.def: reports/demos/modules.def
	@mkdir -p $(@D)
	$(Q){ cat $<; echo 'DEMO_MODULE(demo_09_handoff)'; } >$@
$(DEMO09_GEN)/registry.c: reports/demos/registry.c
	@mkdir -p $(@D)
	$(Q)cp $< $@
$(BUILD)/obj/demo09/registry.o: $(DEMO09_GEN)/registry.c $(DEMO09_GEN)/modules.def
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(REPORT_INCLUDES) -Ibpf -c -o $@ $<
$(BUILD)/obj/demo09/09_handoff.o: tests/fixtures/demo09/09_handoff.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(REPORT_INCLUDES) -Ibpf -c -o $@ $<
$(BUILD)/tests/test_demo_09: $(BUILD)/obj/tests/unit/test_demo_09.o $(DEMO09_OBJS) $(UNIT_LIBS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(JANSSON_LIBS) $(UNIT_LDLIBS) -lpthread -lm
