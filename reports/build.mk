# The report generator: build/bin/report RUN_DIR writes report.md and report.html.
# Its stages, each a folder (docs/architecture.md): load the run folders,
# derive the figures, explain them, draw the pictures, build the page; the
# per-demo parts in demos/.
REPORT_STAGES := load derive explain draw page demos
REPORT_SRCS := $(wildcard $(addsuffix /*.c,$(addprefix reports/,$(REPORT_STAGES))))
REPORT_INCLUDES := $(addprefix -Ireports/,$(REPORT_STAGES))
REPORT_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(REPORT_SRCS))
REPORT_LIB := $(BUILD)/lib/libreport.a

reports: $(BUILD)/bin/report

# The GIL's place in _PyRuntime, per installed CPython: Debian's headers
# (libpython3-dev) and those of the python3 first on the builder's PATH; add
# others with CPYTHON_INCLUDES+=PREFIX/include/python3.X (docs/cpython.md).
CPYTHON_INCLUDES ?= $(wildcard /usr/include/python3.*) \
	$(shell python3 -c 'import sysconfig; print(sysconfig.get_path("include"))' 2>/dev/null)
GIL_LAYOUTS := $(BUILD)/gen/gil_layouts.h
$(GIL_LAYOUTS): reports/cpython/gil_layout.c reports/cpython/gil_layouts.sh \
		$(wildcard $(addsuffix /patchlevel.h,$(CPYTHON_INCLUDES)))
	$(Q)reports/cpython/gil_layouts.sh $(CC) $@ $(CPYTHON_INCLUDES)
$(BUILD)/obj/reports/derive/cpython.o: $(GIL_LAYOUTS)
$(BUILD)/obj/reports/derive/cpython.o: CFLAGS += -I$(BUILD)/gen
# The thread states and lost kinds, and their names, are the collector's (bpf/schedtrace.h).
$(BUILD)/obj/reports/%.o: CFLAGS += -Ibpf $(REPORT_INCLUDES)

$(REPORT_LIB): $(REPORT_LIB_OBJS) $(lastword $(MAKEFILE_LIST))
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $(filter %.o,$^)

$(BUILD)/bin/report: $(BUILD)/obj/reports/report_main.o $(REPORT_LIB) $(SCHEDLAB_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lelf -lm $(DEMANGLE_LIBS)

UNIT_LIBS += $(if $(REPORT_LIB_OBJS),$(REPORT_LIB))

# The recorded runs (recorded/NAME/: run folders of this project's own runs,
# their hosts in meta.json) reported without root, for students who cannot
# trace: each copied into $(BUILD)/recorded/NAME/ and its report written
# there, then the class page of them all (report --class).
RECORDED := $(patsubst recorded/%/meta.json,%,$(wildcard recorded/*/meta.json))
.PHONY: recorded
recorded: $(BUILD)/bin/report
	$(Q)for r in $(RECORDED); do \
		rm -rf $(BUILD)/recorded/$$r && mkdir -p $(BUILD)/recorded && \
		cp -r recorded/$$r $(BUILD)/recorded/$$r && \
		$(BUILD)/bin/report --quiet $(BUILD)/recorded/$$r || exit 1; \
	done
	$(Q)$(BUILD)/bin/report --class $(BUILD)/recorded/class $(addprefix $(BUILD)/recorded/,$(RECORDED))
