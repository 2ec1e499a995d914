# Unit tests: tests/unit/test_*.c, cmocka, linked with the libraries they test.
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
UNIT_LIBS += $(DEMO_LIB) $(SCHEDLAB_LIB)

unit: $(UNIT_TESTS)

$(BUILD)/obj/tests/unit/%.o: CFLAGS += $(REPORT_INCLUDES) -Ibpf -Icollectors

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(UNIT_LIBS)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lcmocka $(JANSSON_LIBS) $(UNIT_LDLIBS) -lpthread -lm $(UNIT_EXTRA_LIBS)

# sched.json's writer and the snapshot's arithmetic, from hand-built
# snapshots: no BPF program is loaded, no root needed.
SCHED_JSON_OBJS := $(addprefix $(BUILD)/obj/collectors/,sched_json.o sched_snapshot.o syscall_names.o)
$(BUILD)/tests/test_sched_json: $(SCHED_JSON_OBJS)
$(BUILD)/tests/test_sched_json: UNIT_EXTRA_LIBS := -lbpf
$(BUILD)/obj/tests/unit/test_sched_json.o: CFLAGS += -Icollectors -I$(BUILD)/gen
$(BUILD)/obj/tests/unit/test_sched_json.o: $(SYSCALL_TABLE)

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
