# The report generator: build/bin/report RUN_DIR writes report.md and report.html.
REPORT_SRCS := $(wildcard reports/*.c)
REPORT_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out reports/report_main.c,$(REPORT_SRCS)))
# _PyRuntime's size is read with the collector's ELF symbol reader: one
# place walks symbol tables (collectors/elf_symbols.c).
REPORT_LIB_OBJS += $(BUILD)/obj/collectors/elf_symbols.o
# The critical path of a demo's measured section is walked by the collector's
# own walk (collectors/critpath.c), on timeline.json's slices.
REPORT_LIB_OBJS += $(BUILD)/obj/collectors/critpath.o
REPORT_LIB := $(BUILD)/lib/libreport.a

reports: $(if $(REPORT_SRCS),$(BUILD)/bin/report)

# The GIL's place in _PyRuntime, per installed CPython: Debian's headers
# (libpython3-dev) and those of the python3 first on the builder's PATH; add
# others with CPYTHON_INCLUDES+=PREFIX/include/python3.X (docs/cpython.md).
CPYTHON_INCLUDES ?= $(wildcard /usr/include/python3.*) \
	$(shell python3 -c 'import sysconfig; print(sysconfig.get_path("include"))' 2>/dev/null)
GIL_LAYOUTS := $(BUILD)/gen/gil_layouts.h
$(GIL_LAYOUTS): reports/cpython/gil_layout.c reports/cpython/gil_layouts.sh \
		$(wildcard $(addsuffix /patchlevel.h,$(CPYTHON_INCLUDES)))
	$(Q)reports/cpython/gil_layouts.sh $(CC) $@ $(CPYTHON_INCLUDES)
$(BUILD)/obj/reports/cpython.o: $(GIL_LAYOUTS)
$(BUILD)/obj/reports/cpython.o: CFLAGS += -I$(BUILD)/gen -Icollectors
$(BUILD)/obj/reports/window_path.o $(BUILD)/obj/reports/timeline_svg.o: CFLAGS += -Icollectors
# The thread states and lost kinds, and their names, are the collector's (bpf/schedtrace.h).
$(BUILD)/obj/reports/%.o: CFLAGS += -Ibpf

$(REPORT_LIB): $(REPORT_LIB_OBJS)
	@mkdir -p $(@D)
	$(Q)$(AR) rcs $@ $^

$(BUILD)/bin/report: $(BUILD)/obj/reports/report_main.o $(REPORT_LIB) $(SCHEDLAB_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lelf -lm

UNIT_LIBS += $(if $(REPORT_LIB_OBJS),$(REPORT_LIB))
