# Chapter 05 demo: a cgroup is a directory; limits on memory, processes and
# CPU, what happens at each, and cleaning up, on cgroup v2 or v1.
demo_title="Chapter 05: cgroups (memory, pids, cpu) on v2 and v1"

DEMO_CGROUP=cfs-demo-$$

demo_cleanup() {
	# The background sleep of the attach step, then the cgroup itself
	# (destroy kills anything still inside). Idempotent.
	if [[ -s $DEMO_TMP/sleep.pid ]]; then
		kill -KILL "$(cat "$DEMO_TMP/sleep.pid")" 2>/dev/null
		rm -f "$DEMO_TMP/sleep.pid"
	fi
	"$BIN/cgctl" destroy "$DEMO_CGROUP" >/dev/null 2>&1
	return 0
}

demo_steps() {
	step "Which cgroup layout? cgroup2fs at the top is v2; a tmpfs is v1 (hybrid if unified/ is cgroup2)." \
		'stat -f -c %T /sys/fs/cgroup /sys/fs/cgroup/unified 2>/dev/null; '"$BIN"'/cgctl mode'
	step "A cgroup is a directory: the kernel fills it with control files." \
		"$BIN/cgctl create $DEMO_CGROUP --memory 64M --pids 32 --cpus 0.5 && ls \$(ls -d /sys/fs/cgroup/cfs/$DEMO_CGROUP /sys/fs/cgroup/memory/cfs/$DEMO_CGROUP 2>/dev/null | head -1) | head -12"
	step "A process moves in by writing its PID into cgroup.procs; /proc/PID/cgroup shows where it is." \
		"sleep 300 & echo \$! > $DEMO_TMP/sleep.pid; $BIN/cgctl attach $DEMO_CGROUP \$(cat $DEMO_TMP/sleep.pid) && grep -E '^0::|memory|pids' /proc/\$(cat $DEMO_TMP/sleep.pid)/cgroup"
	step "Destroy kills what is left inside (cgroup.kill, or freeze + SIGKILL) and removes the directories." \
		"$BIN/cgctl destroy $DEMO_CGROUP && ls -d /sys/fs/cgroup/cfs/$DEMO_CGROUP /sys/fs/cgroup/*/cfs/$DEMO_CGROUP 2>&1 | head -2"
	step_may_fail "200 MiB under a 32M limit: reclaim finds nothing, the cgroup's OOM killer sends SIGKILL (137). cgctl, outside, reports it." \
		"$BIN/cgctl run --memory 32M -- $BIN/hog memory 200"
	step "The same program with 8 MiB fits under the limit: the limit is per cgroup, not a general failure." \
		"$BIN/cgctl run --memory 32M -- $BIN/hog memory 8"
	step "A fork bomb under --pids 24: forks fail with EAGAIN at the limit; leftovers die with the cgroup." \
		"$BIN/cgctl run --pids 24 -- $BIN/hog forks 2"
	step "Meanwhile the host forks as usual: the limit is the cgroup's alone." \
		'for i in $(seq 100); do /bin/true; done; echo "100 forks on the host: fine"'
	step "One second of spinning under --cpus 0.1 gets 0.1 s of CPU: throttled in almost every 100 ms period." \
		"$BIN/cgctl run --cpus 0.1 -- $BIN/hog cpu 1"
	step_may_fail "Values are checked before anything is made: one clear line." \
		"$BIN/cgctl run --memory 64Q -- true"
	step "Nothing is left behind: no cgctl cgroup remains under cfs/." \
		"ls /sys/fs/cgroup/cfs /sys/fs/cgroup/memory/cfs 2>/dev/null | grep -c run- || true"
}
