# The eBPF collector. One tool is bpf/NAME.bpf.c (kernel half), bpf/NAME.h
# (event and map layouts both halves include) and collectors/NAME.c (user half).
VMLINUX_H := $(BUILD)/vmlinux.h
BPF_SRCS := $(wildcard bpf/*.bpf.c)
BPF_OBJS := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.skel.h,$(BPF_SRCS))
BPF_CFLAGS := -g -O2 -Wall -Werror -target bpf -D__TARGET_ARCH_$(ARCH) -I$(BUILD) -Ibpf

COLLECTOR_SRCS := $(wildcard collectors/*.c)
COLLECTOR_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(COLLECTOR_SRCS))
COLLECTOR_LIBS := -lbpf -ldw -lelf -lz $(JANSSON_LIBS) -lm

# The syscall name table comes from the kernel headers of this architecture
# (asm/unistd_64.h), never typed by hand.
UNISTD_H ?= $(firstword $(wildcard /usr/include/$(shell $(CC) -dumpmachine)/asm/unistd_64.h \
	/usr/include/asm/unistd_64.h /usr/include/asm-generic/unistd.h))
SYSCALL_TABLE := $(BUILD)/gen/syscall_table.h

collectors: $(if $(COLLECTOR_SRCS),$(BUILD)/bin/schedtrace)

# vmlinux.h comes from the running kernel's BTF; CO-RE relocates against it.
$(VMLINUX_H):
	@mkdir -p $(@D)
	@test -r /sys/kernel/btf/vmlinux || { echo "error: /sys/kernel/btf/vmlinux is missing: this kernel has no BTF (CONFIG_DEBUG_INFO_BTF=y is needed for CO-RE)" >&2; exit 2; }
	$(Q)$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $@.tmp && mv $@.tmp $@

$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(VMLINUX_H)
	@mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -MMD -MP -MF $(BUILD)/bpf/$*.bpf.d -c $< -o $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(Q)$(BPFTOOL) gen skeleton $< > $@.tmp && mv $@.tmp $@

$(SYSCALL_TABLE): $(UNISTD_H)
	@mkdir -p $(@D)
	@test -n "$(UNISTD_H)" || { echo "error: no asm/unistd_64.h found: install linux-libc-dev" >&2; exit 2; }
	$(Q)awk '$$1 == "#define" && $$2 ~ /^__NR_/ && $$3 ~ /^[0-9]+$$/ { \
		name = substr($$2, 6); printf "\t[%s] = \"%s\",\n", $$3, name }' $< > $@.tmp && mv $@.tmp $@

# The user halves include their skeletons and the generated tables.
$(COLLECTOR_OBJS): CFLAGS += -I$(BUILD)/bpf -I$(BUILD)/gen -Ibpf
$(COLLECTOR_OBJS): $(BPF_SKELS) $(SYSCALL_TABLE)

# The pure part of the user half (futex naming; the ELF symbols and process
# maps it reads and the critical path are in lib/) is a library the unit
# tests link too.
CAUSES_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(wildcard collectors/futex_names.c))
CAUSES_LIB := $(BUILD)/lib/libcauses.a
$(CAUSES_LIB): $(CAUSES_LIB_OBJS) $(lastword $(MAKEFILE_LIST))
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $(filter %.o,$^)
UNIT_LIBS += $(CAUSES_LIB)
UNIT_LDLIBS += -lelf

$(BUILD)/bin/schedtrace: $(COLLECTOR_OBJS) $(SCHEDLAB_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(COLLECTOR_LIBS)

-include $(wildcard $(BUILD)/bpf/*.d)
