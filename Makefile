# mpromfs: one program, three layers (src <- proto <- ui), found by wildcard so a
# new file needs no Makefile edit. Variants build into their own directories:
#   build/      normal        (make, make all)
#   build-san/  ASan + UBSan  (make san)
#   build-fuzz/ libFuzzer     (make fuzz-build; clang only)

VERSION   := 0.1.0
PREFIX    ?= /usr/local
DESTDIR   ?=
BUILD     ?= build
CC        ?= cc
PKGS      := ncursesw libserialport libmagic zlib
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell pkg-config --libs cmocka 2>/dev/null)

WARN      := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
OPT       ?= -O2 -g
SAN_FLAGS ?=
CPPFLAGS  += -D_GNU_SOURCE -DMPROMFS_VERSION='"$(VERSION)"' -Isrc -Iproto -Iui
ALL_CFLAGS = -std=c11 $(WARN) $(OPT) $(SAN_FLAGS) $(CFLAGS) $(PKG_CFLAGS)
ALL_LDFLAGS = $(SAN_FLAGS) $(LDFLAGS)

SRC_C   := $(sort $(wildcard src/*.c))
PROTO_C := $(sort $(wildcard proto/*.c))
UI_C    := $(sort $(filter-out ui/main.c,$(wildcard ui/*.c ui/cli/*.c ui/tui/*.c)))
UNIT_C  := $(sort $(wildcard tests/unit/test_*.c))
TLIB_C  := $(sort $(wildcard tests/lib/*.c))
FUZZ_C  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
BENCH_C := $(sort $(wildcard bench/*.c))

# Quiet by default; `make V=1` shows every command.
ifeq ($(V),1)
Q :=
else
Q := @
endif

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
LIBCORE  := $(BUILD)/libmpromfs-core.a
LIBPROTO := $(BUILD)/libmpromfs-proto.a
LIBUI    := $(BUILD)/libmpromfs-ui.a
LIBS_ALL := $(LIBUI) $(LIBPROTO) $(LIBCORE)
BIN      := $(BUILD)/mpromfs
UNIT_BIN := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_C))
BENCH_BIN := $(patsubst bench/%.c,$(BUILD)/bench/%,$(BENCH_C))
CMD_TABLE := $(BUILD)/gen/commands.inc

.PHONY: all run check test san fuzz fuzz-build bench install uninstall clean deps tests
all: $(BIN)
tests: $(BIN) $(UNIT_BIN)

# Every subcommand file declares itself with one MR_COMMAND(...) line; the table is
# generated so that adding a command never touches a shared file.
$(CMD_TABLE): $(wildcard ui/cli/cmd_*.c) Makefile
	@mkdir -p $(dir $@)
	@sed -n 's/^\(MR_COMMAND(.*)\);*$$/\1/p' $(sort $(wildcard ui/cli/cmd_*.c)) > $@.tmp; mv $@.tmp $@

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) -I$(BUILD)/gen $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/obj/ui/main.o: $(CMD_TABLE)

$(LIBCORE): $(call obj,$(SRC_C))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^
$(LIBPROTO): $(call obj,$(PROTO_C))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^
$(LIBUI): $(call obj,$(UI_C))
	@mkdir -p $(dir $@); rm -f $@; ar rcs $@ $^

$(BIN): $(call obj,ui/main.c) $(LIBS_ALL)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BUILD)/tests/%: tests/unit/%.c $(call obj,$(TLIB_C)) $(LIBS_ALL)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CPPFLAGS) -Itests/lib $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(CMOCKA_LIBS) $(PKG_LIBS) -lm

$(BUILD)/bench/%: bench/%.c $(LIBS_ALL)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(CPPFLAGS) $(ALL_CFLAGS) -o $@ $^ $(ALL_LDFLAGS) $(PKG_LIBS) -lm

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)

# ---- the two README commands -------------------------------------------------
deps:
	@sh scripts/deps.sh

run: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/run.sh $(BIN)

# make check: normal build + every test, the same under ASan+UBSan, short fuzz runs,
# one summary line. Each stage appends its counts to $(BUILD)/check.counts.
check: deps
	@rm -f build/check.counts
	@$(MAKE) --no-print-directory tests
	@sh tests/run.sh build build/check.counts
	@$(MAKE) --no-print-directory BUILD=build-san OPT='-O1 -g' \
	    SAN_FLAGS='-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer' tests
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	    sh tests/run.sh build-san build/check.counts
	@sh scripts/fuzz.sh short build/check.counts
	@sh scripts/summary.sh build/check.counts

test: tests
	@sh tests/run.sh $(BUILD)

san:
	@$(MAKE) --no-print-directory BUILD=build-san OPT='-O1 -g' \
	    SAN_FLAGS='-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer' tests

# Fuzzers: clang's libFuzzer. `make fuzz` runs each target for FUZZ_SECONDS (default 60).
FUZZ_SECONDS ?= 60
fuzz-build:
	@sh scripts/fuzz.sh build
fuzz: deps
	@sh scripts/fuzz.sh long /dev/null $(FUZZ_SECONDS)

bench: deps
	@$(MAKE) --no-print-directory all $(BENCH_BIN)
	@sh bench/run.sh $(BUILD)

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/mpromfs
uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/mpromfs

clean:
	rm -rf build build-san build-fuzz
