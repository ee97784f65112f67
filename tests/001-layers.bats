#!/usr/bin/env bats
# The tree keeps its layers: tools/check-layers.sh, run by make test, fails
# on an include cycle or an include that points up, and names the files.
load helper

local_setup() {
	cp -r "$ROOT_DIR/lib" "$BATS_TEST_TMPDIR/lib"
	L="$BATS_TEST_TMPDIR/lib"
}

@test "lib/ as it is: no cycle, nothing points up" {
	run sh "$ROOT_DIR/tools/check-layers.sh" "$ROOT_DIR/lib"
	assert_success
	assert_output --regexp 'no cycle, none points up'
}

@test "two modules that include each other are a cycle, named" {
	printf '#include "core/twin_b.h"\n' > "$L/core/twin_a.h"
	printf '#include "core/twin_a.h"\n' > "$L/core/twin_b.h"
	run sh "$ROOT_DIR/tools/check-layers.sh" "$L"
	assert_failure 1
	assert_output --partial 'include cycle: '
	assert_output --partial 'lib/core/twin_a.*'
	assert_output --partial 'lib/core/twin_b.*'
}

@test "a cycle through a chain, folders deep, is found too" {
	mkdir -p "$L/sales/deep/er"
	printf '#include "sales/deep/er/c2.h"\n' > "$L/sales/deep/c1.c"
	printf '#include "sales/deep/c3.h"\n' > "$L/sales/deep/er/c2.h"
	printf '#include "sales/deep/c1.h"\n' > "$L/sales/deep/c3.c"
	touch "$L/sales/deep/c1.h" "$L/sales/deep/c3.h"
	run sh "$ROOT_DIR/tools/check-layers.sh" "$L"
	assert_failure 1
	assert_output --partial 'lib/sales/deep/er/c2.*'
	assert_output --partial 'lib/sales/deep/c1.*'
}

@test "the core including a feature's header points up, named" {
	printf '#include "sales/pipeline.h"\n' > "$L/core/up.c"
	run sh "$ROOT_DIR/tools/check-layers.sh" "$L"
	assert_failure 1
	assert_output --partial 'lib/core/up.c includes sales/pipeline.h: core (layer 2) may not use sales'
}

@test "io knows nothing of the core; features side by side do not know each other" {
	printf '#include "core/crm.h"\n' > "$L/io/bad.c"
	printf '#include "team/user.h"\n' > "$L/data/side.c"
	mkdir -p "$L/team" && touch "$L/team/user.h"
	run sh "$ROOT_DIR/tools/check-layers.sh" "$L"
	assert_failure 1
	assert_output --partial 'lib/io/bad.c includes core/crm.h'
	assert_output --partial 'lib/data/side.c includes team/user.h: data and team are side by side'
}

@test "a folder in no layer is refused" {
	mkdir -p "$L/misc" && touch "$L/misc/x.c"
	run sh "$ROOT_DIR/tools/check-layers.sh" "$L"
	assert_failure 1
	assert_output --partial 'folder misc is in no layer'
}
