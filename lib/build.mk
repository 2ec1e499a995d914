# Code the demos, the collector and the report all use (lib/): one library
# every program links, so a shared figure has one definition.
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(patsubst %.c,$(BUILD)/obj/%.o,$(LIB_SRCS))
SCHEDLAB_LIB := $(BUILD)/lib/libschedlab.a

$(SCHEDLAB_LIB): $(LIB_OBJS)
	@mkdir -p $(@D)
	$(Q)$(AR) rcs $@ $^
