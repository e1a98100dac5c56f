#!/usr/bin/env bats
# The lab's own tools: the labs generator, the grader's output formats,
# the learner's companion and clean-host. None grades an exercise.

load helpers

# A scratch project with only the generator and a solutions/ tree.
make_scratch_project() {
	local project=$BATS_TEST_TMPDIR/project
	mkdir -p "$project/scripts" "$project/solutions/01-demo"
	cp "$PROJECT_ROOT/scripts/mklabs" "$project/scripts/"
	echo "$project"
}

@test "mklabs turns a solution block into a TODO, its hint and its stub" {
	local project
	project=$(make_scratch_project)
	cat >"$project/solutions/01-demo/demo.c" <<'C'
int answer(void)
{
	// BEGIN SOLUTION 01.1: return the answer
	// HINT: it is 42
	return 42;
	// END SOLUTION
	// STUB: return lab_todo("01.1");
}
C
	run "$project/scripts/mklabs"
	assert_success
	run cat "$project/labs/01-demo/demo.c"
	assert_output "int answer(void)
{
	// TODO 01.1: return the answer
	// HINT: it is 42
	return lab_todo(\"01.1\");
}"
	run "$project/scripts/mklabs" --check
	assert_success
	echo "// changed" >>"$project/labs/01-demo/demo.c"
	run "$project/scripts/mklabs" --check
	assert_failure
	assert_output --partial "stale: labs/01-demo/demo.c"
}

@test "mklabs refuses a nested, an unterminated, a stubless or a misnumbered block" {
	local project
	project=$(make_scratch_project)
	local file=$project/solutions/01-demo/demo.c
	printf '%s\n' '// BEGIN SOLUTION 01.1: a' '// BEGIN SOLUTION 01.2: b' '// END SOLUTION' '// STUB: x;' >"$file"
	run "$project/scripts/mklabs"
	assert_failure
	assert_output --partial "nested"
	printf '%s\n' '// BEGIN SOLUTION 01.1: a' 'code;' >"$file"
	run "$project/scripts/mklabs"
	assert_failure
	assert_output --partial "not terminated"
	printf '%s\n' '// BEGIN SOLUTION 01.1: a' 'code;' '// END SOLUTION' >"$file"
	run "$project/scripts/mklabs"
	assert_failure
	assert_output --partial "no STUB"
	printf '%s\n' '// BEGIN SOLUTION 02.1: a' 'code;' '// END SOLUTION' '// STUB: x;' >"$file"
	run "$project/scripts/mklabs"
	assert_failure
	assert_output --partial "not in chapter 01"
	printf '%s\n' '// END SOLUTION' >"$file"
	run "$project/scripts/mklabs"
	assert_failure
	assert_output --partial "without a BEGIN"
	# Nothing was written by the failed runs.
	assert_not_exist "$project/labs"
}

@test "the labs in the repository are what mklabs makes" {
	run "$PROJECT_ROOT/scripts/mklabs" --check
	assert_success
}

@test "grade --format junit writes well-formed XML with a failure per failing exercise" {
	requires root
	run "$PROJECT_ROOT/scripts/grade" --tree labs --chapter 01 --format junit --output "$BATS_TEST_TMPDIR/grade.xml"
	assert_failure
	run python3 -c 'import sys, xml.dom.minidom as m; d = m.parse(sys.argv[1]); print(len(d.getElementsByTagName("testcase")), len(d.getElementsByTagName("failure")))' "$BATS_TEST_TMPDIR/grade.xml"
	assert_success
	assert_output "5 5"
}

@test "lab hint names the exercise, its hint and where its TODO is" {
	run "$PROJECT_ROOT/scripts/lab" hint 01.4
	assert_success
	assert_line "01.4: pivot_root into the new root and detach the old one"
	assert_output --regexp "where: labs/01-chroot/rootfs.c:[0-9]+"
	run "$PROJECT_ROOT/scripts/lab" hint 99.9
	assert_failure
	assert_output "lab: there is no exercise 99.9 (scripts/lab list)"
}

@test "lab solution stays closed while the exercise fails" {
	requires root
	run "$PROJECT_ROOT/scripts/lab" solution 01.1
	assert_failure
	assert_output --partial "does not pass yet"
	refute_output --partial "MS_REC | MS_PRIVATE, NULL"
}

@test "clean-host removes a leftover cfs network namespace and cgroup, and nothing outside --only" {
	requires root cgroup
	local ns group
	ns=$(unique_name cfsclean)
	ip netns add "$ns"
	defer ip netns delete "$ns"
	# A bystander outside the --only filter must survive.
	ip netns add "${ns}x"
	defer ip netns delete "${ns}x"
	if [[ $(cgroup_mode) == v2 ]]; then
		group=/sys/fs/cgroup/cfs/$ns
	else
		group=/sys/fs/cgroup/pids/cfs/$ns
	fi
	mkdir -p "$group"
	defer rmdir "$group"
	run "$PROJECT_ROOT/scripts/clean-host" --only "$ns"
	assert_success
	assert_output --partial "network namespace $ns"
	assert_output --partial "cgroup $group"
	[[ ! -e /run/netns/$ns ]] || fail "the namespace is still there"
	[[ -e /run/netns/${ns}x ]] || fail "clean-host removed a namespace outside --only"
	assert_not_exist "$group"
}

@test "deps installs by need: make run's list has no test tool, make test's adds them, no name is pinned to a version" {
	run "$PROJECT_ROOT/scripts/deps" --for run --list
	assert_success
	assert_line libmnl-dev
	assert_line busybox-static
	refute_line bats
	refute_line podman
	refute_line clang
	run "$PROJECT_ROOT/scripts/deps" --for run,test --list
	assert_success
	assert_line libmnl-dev
	assert_line bats
	assert_line podman
	run "$PROJECT_ROOT/scripts/deps" --for nonsense --list
	assert_failure
	assert_output "deps: unknown need 'nonsense': one of run test book vm bench fuzz or all"
	# A name like libclang-rt-14-dev exists on one release only.
	run "$PROJECT_ROOT/scripts/deps" --list
	assert_success
	refute_output --regexp '-[0-9]+(\.[0-9]+)?-dev$'
}

@test "make reads no machine state when it reads the GNUmakefile, and names what is missing when it builds" {
	# A pkg-config that finds nothing and notes each call.
	local fake=$BATS_TEST_TMPDIR/pkg-config calls=$BATS_TEST_TMPDIR/calls
	printf '#!/bin/sh\necho "$@" >>%s\nexit 1\n' "$calls" >"$fake"
	chmod +x "$fake"
	run make -C "$PROJECT_ROOT" -n all PKG_CONFIG="$fake" BUILD="$BATS_TEST_TMPDIR/build"
	assert_success
	assert_file_not_exists "$calls"
	# Chapter 04 links libmnl and libnftables.
	run make -C "$PROJECT_ROOT" --no-print-directory build CH=04 PKG_CONFIG="$fake" BUILD="$BATS_TEST_TMPDIR/build"
	assert_failure
	assert_line --regexp '^make: pkg-config cannot find jansson libarchive libcap libcrypto libmnl libnftables libseccomp nettle.*: sudo make deps$'
	run make -C "$PROJECT_ROOT" --no-print-directory build CH=04 PKG_CONFIG="$BATS_TEST_TMPDIR/absent" BUILD="$BATS_TEST_TMPDIR/build"
	assert_failure
	assert_line "make: $BATS_TEST_TMPDIR/absent not found (Debian package pkg-config): sudo make deps"
}
