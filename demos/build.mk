# The five demos: demos/NN_name.c each, linked with the shared demo library.
DEMO_SRCS := $(wildcard demos/[0-9][0-9]_*.c)
DEMOS := $(patsubst demos/%.c,$(BUILD)/demos/%,$(DEMO_SRCS))
DEMO_LIB_SRCS := $(wildcard demos/common/*.c)
DEMO_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(DEMO_LIB_SRCS)) $(BUILD)/obj/gen/python/schedlab_demo.o
DEMO_LIB := $(BUILD)/lib/libdemo.a
# The seed's full names run the same programs.
DEMO_ALIASES := $(shell awk -F'\t' '!/^#/ && NF>1 {print $$2}' demos/catalogue.tsv)

demos: $(DEMOS) $(patsubst %,$(BUILD)/demos/%,$(DEMO_ALIASES))

# The demos and their library include demos/common's headers; nothing else does.
$(BUILD)/obj/demos/%.o: CFLAGS += -Idemos/common

$(DEMO_LIB): $(DEMO_LIB_OBJS) $(lastword $(MAKEFILE_LIST))
	@mkdir -p $(@D)
	$(Q)rm -f $@ && $(AR) rcs $@ $(filter %.o,$^)

# A demo with a Python program (demos/python/NN_name.py, its py-* variants)
# carries its source.
PY_DEMOS := $(filter-out schedlab_demo,$(patsubst demos/python/%.py,%,$(wildcard demos/python/*.py)))
$(patsubst %,$(BUILD)/demos/%,$(PY_DEMOS)): $(BUILD)/demos/%: $(BUILD)/obj/demos/%.o \
		$(BUILD)/obj/gen/python/%.o $(DEMO_LIB) $(SCHEDLAB_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lpthread -lm

$(BUILD)/demos/%: $(BUILD)/obj/demos/%.o $(DEMO_LIB) $(SCHEDLAB_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lpthread -lm

# Python sources as C arrays: the shared module as pydemo_common_src, a
# demo's program as pydemo_src (demos/common/pydemo.c runs them).
$(BUILD)/gen/python/schedlab_demo.c: demos/python/schedlab_demo.py
	@mkdir -p $(@D)
	$(Q){ echo 'const char pydemo_common_src[] = {'; xxd -i < $<; echo ', 0};'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/gen/python/%.c: demos/python/%.py
	@mkdir -p $(@D)
	$(Q){ echo 'const char pydemo_src[] = {'; xxd -i < $<; echo ', 0};'; } > $@.tmp && mv $@.tmp $@

$(BUILD)/obj/gen/python/%.o: $(BUILD)/gen/python/%.c
	@mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -c -o $@ $<

# An alias is a symlink to the demo of the same number.
$(patsubst %,$(BUILD)/demos/%,$(DEMO_ALIASES)): $(BUILD)/demos/%:
	@mkdir -p $(@D)
	$(Q)ln -sfn $$(awk -F'\t' -v a="$*" '$$2 == a {print $$1}' demos/catalogue.tsv) $@

# The bug hunts (demos/hunts/): small standalone pthread programs, each with
# one planted fault and its fixed twin behind --fixed; scripts/trace lists
# them from demos/hunts/catalogue.tsv.
HUNTS := $(patsubst demos/hunts/%.c,$(BUILD)/hunts/%,$(wildcard demos/hunts/hunt_*.c))
demos: $(HUNTS)
$(BUILD)/hunts/%: $(BUILD)/obj/demos/hunts/%.o
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ -lpthread
