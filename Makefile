# crm: a command-line CRM. `make` builds ./crm; `make test` and `make demo`
# install what is missing from Debian first, so they are the whole set-up.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/crm
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR  ?= $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

# Debian packages the build, the tests and the demo need (chromium draws
# the dashboard's page for its tests, with a CJK font to draw it in;
# postgresql is the throwaway server the team server's tests start).
DEB_PKGS := gcc make pkg-config sqlite3 libsqlite3-dev libcjson-dev \
	libreadline-dev libxlsxwriter-dev libminizip-dev zlib1g-dev libexpat1-dev \
	bats bats-support bats-assert jq tmux clang libclang-rt-14-dev chromium fonts-noto-cjk \
	libpq-dev postgresql
PKGS := sqlite3 libcjson readline xlsxwriter minizip expat zlib libpq

VERSION := $(shell cat VERSION 2>/dev/null || echo 0.0.0)
CC      ?= cc
OPT     ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter -Wno-missing-field-initializers
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libxlsxwriter, readline and libpq are loaded on first use
# (lib/io/dynlib.h), by the soname of the library we build against; not
# linked (libpq's own libraries took every command 4 ms to load).
DYNLIBS    := xlsxwriter readline libpq
PKG_LIBS   = $(shell pkg-config --libs $(filter-out $(DYNLIBS),$(PKGS)) 2>/dev/null)
soname     = $(or $(shell objdump -p "$$($(CC) -print-file-name=lib$(1).so)" 2>/dev/null | awk '/SONAME/ { print $$2 }'),lib$(1).so)
SONAMES   := -DXLSXWRITER_SONAME='"$(call soname,xlsxwriter)"' -DREADLINE_SONAME='"$(call soname,readline)"' \
	-DPQ_SONAME='"$(call soname,pq)"'
CPPFLAGS_ALL = -D_GNU_SOURCE -DCRM_VERSION='"$(VERSION)"' $(SONAMES) -Ilib -Icmd -Ibuild/gen $(PKG_CFLAGS)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

LIB_SRC := $(sort $(wildcard lib/*.c lib/*/*.c))
CMD_SRC := $(sort $(wildcard cmd/*.c))
GEN_SRC := build/gen/cmd_table.c build/gen/schema.c
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))

REL_OBJ  := $(patsubst %.c,build/rel/%.o,$(LIB_SRC) $(CMD_SRC) $(GEN_SRC:build/gen/%=gen/%))
ASAN_OBJ := $(patsubst %.c,build/asan/%.o,$(LIB_SRC) $(CMD_SRC) $(GEN_SRC:build/gen/%=gen/%))
ASAN_LIBOBJ := $(patsubst %.c,build/asan/%.o,$(LIB_SRC) gen/schema.c)
UNIT_BIN := $(patsubst tests/unit/%.c,build/asan/unit/%,$(UNIT_SRC))

.PHONY: all deps test demo bench bench-check bench-kill install uninstall clean asan unit man fuzz fuzz-build
all: crm

# A new file renamed over the old one: a crm that is running (a bench, a
# shell) keeps its own copy instead of making cp fail with "text file busy".
crm: build/rel/crm
	cp build/rel/crm crm.new && mv -f crm.new crm

build/rel/crm: $(REL_OBJ)
	$(CC) $(OPT) -o $@ $^ $(PKG_LIBS) -lm

build/asan/crm: $(ASAN_OBJ)
	$(CC) $(OPT) $(SAN) -o $@ $^ $(PKG_LIBS) -lm

build/rel/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(WARN) $(CPPFLAGS_ALL) -MMD -MP -c -o $@ $<

build/asan/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(SAN) $(WARN) $(CPPFLAGS_ALL) -MMD -MP -c -o $@ $<

build/rel/gen/%.o build/asan/gen/%.o: build/gen/%.c
build/rel/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(WARN) $(CPPFLAGS_ALL) -c -o $@ $<
build/asan/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(SAN) $(WARN) $(CPPFLAGS_ALL) -c -o $@ $<

# The command table is every `const struct cmd_entry cmd_X_entry` in cmd/,
# so adding a command is adding a file.
build/gen/cmd_table.c: $(CMD_SRC) tools/gen-cmd-table.sh
	@mkdir -p $(dir $@)
	sh tools/gen-cmd-table.sh $(CMD_SRC) > $@.tmp && mv $@.tmp $@

# The schema migrations in share/schema are compiled in.
build/gen/schema.c: $(sort $(wildcard share/schema/*.sql)) tools/gen-schema.sh
	@mkdir -p $(dir $@)
	sh tools/gen-schema.sh $(sort $(wildcard share/schema/*.sql)) > $@.tmp && mv $@.tmp $@

# Unit tests link every library (test_xlsx writes workbooks to read).
build/asan/unit/%: tests/unit/%.c $(ASAN_LIBOBJ) tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(OPT) $(SAN) $(WARN) $(CPPFLAGS_ALL) -o $@ $< $(ASAN_LIBOBJ) $(PKG_LIBS) \
		$(shell pkg-config --libs $(DYNLIBS) 2>/dev/null) -lm

# libFuzzer targets (tests/fuzz/fuzz_NAME.c, seeds in tests/fuzz/NAME/):
# the library built again with clang for coverage. `make fuzz` runs each
# for SECONDS (default 5: what make test runs); new inputs it finds go to
# build/fuzz/corpus/NAME, the seeds stay as they are. A crash, a leak or
# a hang (-timeout) leaves its input in build/fuzz/ and fails.
FUZZ_CC   ?= clang
FUZZ_SAN  := -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_LINK := -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN  := $(patsubst tests/fuzz/%.c,build/fuzz/%,$(FUZZ_SRC))
FUZZ_OBJ  := $(patsubst %.c,build/fuzz/%.o,$(LIB_SRC) gen/schema.c)
SECONDS   ?= 5

build/fuzz/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -O1 -g $(FUZZ_SAN) -std=c11 -Wall -Wno-unused-parameter $(CPPFLAGS_ALL) -c -o $@ $<
build/fuzz/gen/%.o: build/gen/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -O1 -g $(FUZZ_SAN) -std=c11 $(CPPFLAGS_ALL) -c -o $@ $<
build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -O1 -g $(FUZZ_LINK) -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter $(CPPFLAGS_ALL) -o $@ $< $(FUZZ_OBJ) \
		$(PKG_LIBS) $(shell pkg-config --libs $(DYNLIBS) 2>/dev/null) -lm

.SECONDARY: $(FUZZ_OBJ)
fuzz-build: $(FUZZ_BIN)

fuzz: fuzz-build
	@for b in $(FUZZ_BIN); do \
		n=$${b#build/fuzz/fuzz_}; mkdir -p build/fuzz/corpus/$$n; \
		echo "fuzz $$n: $(SECONDS) s"; \
		ASAN_OPTIONS=detect_leaks=1 $$b -max_total_time=$(SECONDS) -timeout=10 -rss_limit_mb=2048 \
			-max_len=65536 -print_final_stats=0 -artifact_prefix=build/fuzz/$$n- \
			build/fuzz/corpus/$$n tests/fuzz/$$n > build/fuzz/$$n.log 2>&1 \
			|| { tail -40 build/fuzz/$$n.log; echo "fuzz $$n: FAILED (input in build/fuzz/$$n-*)"; exit 1; }; \
		grep -E '^#[0-9]+.*DONE' build/fuzz/$$n.log | tail -1; \
	done

# Man pages are generated from the command tables (crm __man); a test
# checks the committed ones are current.
man: crm
	./crm __man > share/man/man1/crm.1
	for c in $$(./crm help --commands); do ./crm __man $$c > share/man/man1/crm-$$c.1; done

asan: build/asan/crm
unit: $(UNIT_BIN)

# Install missing Debian packages (as root, or with sudo).
deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
		$$SUDO apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null || exit 1; \
	fi

# Tests build with AddressSanitizer and UBSan and drive the real binary.
test: deps
	sh tools/check-layers.sh
	$(MAKE) asan unit
	$(MAKE) fuzz SECONDS=5
	CRM_BIN=$(CURDIR)/build/asan/crm sh tests/run

demo: deps
	$(MAKE) crm
	sh share/demo.sh ./crm

bench: deps
	$(MAKE) crm
	sh tests/bench/run.sh $(SIZE)

bench-check:
	sh tests/bench/check.sh

# kill -9 at random moments of an import of the bench file, each checked
# and resumed (KILLS=20 at SIZE=1000000 takes about 15 minutes)
bench-kill: deps
	$(MAKE) crm
	sh tests/bench/kill.sh $(SIZE) $(KILLS)

install: crm
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DATADIR) \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	install -m 755 crm $(DESTDIR)$(BINDIR)/crm
	install -m 644 share/man/man1/*.1 $(DESTDIR)$(MANDIR)/man1/
	if [ -d share/samples ]; then cp -r share/samples $(DESTDIR)$(DATADIR)/; fi
	install -m 644 completions/crm.bash $(DESTDIR)$(BASHCOMPDIR)/crm
	install -m 644 completions/_crm $(DESTDIR)$(ZSHCOMPDIR)/_crm
	install -m 644 completions/crm.fish $(DESTDIR)$(FISHCOMPDIR)/crm.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/crm $(DESTDIR)$(MANDIR)/man1/crm*.1 \
		$(DESTDIR)$(BASHCOMPDIR)/crm $(DESTDIR)$(ZSHCOMPDIR)/_crm $(DESTDIR)$(FISHCOMPDIR)/crm.fish
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build crm

# Header dependencies, as the compiler found them (-MMD).
-include $(REL_OBJ:.o=.d) $(ASAN_OBJ:.o=.d)
