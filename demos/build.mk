# The five demos: demos/NN_name.c each, linked with the shared demo library.
DEMO_SRCS := $(wildcard demos/[0-9][0-9]_*.c)
DEMOS := $(patsubst demos/%.c,$(BUILD)/demos/%,$(DEMO_SRCS))
DEMO_LIB_SRCS := $(wildcard demos/common/*.c)
DEMO_LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(DEMO_LIB_SRCS))
DEMO_LIB := $(BUILD)/lib/libdemo.a
# The seed's full names run the same programs.
DEMO_ALIASES := $(shell awk -F'\t' '!/^#/ && NF>1 {print $$2}' demos/catalogue.tsv)

demos: $(DEMOS) $(patsubst %,$(BUILD)/demos/%,$(DEMO_ALIASES))

$(DEMO_LIB): $(DEMO_LIB_OBJS)
	@mkdir -p $(@D)
	$(Q)$(AR) rcs $@ $^

$(BUILD)/demos/%: $(BUILD)/obj/demos/%.o $(DEMO_LIB)
	@mkdir -p $(@D)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(JANSSON_LIBS) -lpthread -lm

# An alias is a symlink to the demo of the same number.
$(patsubst %,$(BUILD)/demos/%,$(DEMO_ALIASES)): $(BUILD)/demos/%:
	@mkdir -p $(@D)
	$(Q)ln -sfn $$(awk -F'\t' -v a="$*" '$$2 == a {print $$1}' demos/catalogue.tsv) $@
