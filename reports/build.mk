# The report generator: build/bin/report RUN_DIR writes report.md and report.html.
REPORT_SRCS := $(wildcard reports/*.c)
REPORT_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(filter-out reports/report_main.c,$(REPORT_SRCS)))
REPORT_LIB := $(BUILD)/lib/libreport.a

reports: $(if $(REPORT_SRCS),$(BUILD)/bin/report)

$(REPORT_LIB): $(REPORT_LIB_OBJS)
	@mkdir -p $(@D)
	$(Q)$(AR) rcs $@ $^

$(BUILD)/bin/report: $(BUILD)/obj/reports/report_main.o $(REPORT_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lm

UNIT_LIBS += $(if $(REPORT_LIB_OBJS),$(REPORT_LIB))
