# 02-pid-namespace.bash: helpers for tests/02-pid-namespace.bats, to look
# at a process tree from the host. Load with `load helpers/02-pid-namespace`.

# children_of PID: the PIDs of PID's children (host view), one a line.
children_of() {
	local task
	for task in /proc/"$1"/task/*; do
		tr ' ' '\n' <"$task/children" 2>/dev/null || true
	done | grep -v '^$' || true
}

# descendants_of PID: every process below PID (host view), one a line.
descendants_of() {
	local child
	for child in $(children_of "$1"); do
		echo "$child"
		descendants_of "$child"
	done
}

# process_state PID: the one-letter state (R S D Z T ...), empty if gone.
process_state() {
	local stat
	stat=$(cat /proc/"$1"/stat 2>/dev/null) || return 0
	# The command name may hold spaces: the state follows its ")".
	stat=${stat##*) }
	echo "${stat%% *}"
}

# zombies_under PID: the descendants of PID that are zombies.
zombies_under() {
	local pid
	for pid in $(descendants_of "$1"); do
		if [[ $(process_state "$pid") == Z ]]; then echo "$pid"; fi
	done
}

# wait_for_exit PID SECONDS: wait until our background child PID has
# exited (or fail after SECONDS), reap it and set EXIT_STATUS.
wait_for_exit() {
	local pid=$1 deadline=$((SECONDS + $2)) state
	while :; do
		state=$(process_state "$pid")
		[[ -z $state || $state == Z ]] && break
		if ((SECONDS >= deadline)); then
			echo "process $pid still runs after $2 s" >&2
			return 1
		fi
		sleep 0.05
	done
	EXIT_STATUS=0
	wait "$pid" || EXIT_STATUS=$?
}

# processes_in_pid_namespace INODE: host PIDs whose PID namespace is INODE.
# One stat for every process, not a readlink each: a loop of hundreds of
# forks takes a minute on a loaded machine.
processes_in_pid_namespace() {
	stat -L -c '%i %n' /proc/[0-9]*/ns/pid 2>/dev/null |
		awk -v inode="$1" '$1 == inode { split($2, part, "/"); print part[3] }'
}

# has_descendant_named PID NAME: some process below PID runs NAME (its
# comm). Wait for it before signalling: a shell that is about to exec the
# command may catch the signal itself, and the command never sees it.
has_descendant_named() {
	local pid
	for pid in $(descendants_of "$1"); do
		[[ $(cat /proc/"$pid"/comm 2>/dev/null) == "$2" ]] && return 0
	done
	return 1
}

# signal_taken PID SIGNUM: PID (a process that waits for signals with
# sigwaitinfo, as pidns does) has taken SIGNUM off its queue and is asleep
# again, so whatever it does with the signal is done. No time window: the
# pending bit clears only when PID itself takes the signal, and it sleeps
# again only once it is back waiting for the next one.
signal_taken() {
	local pid=$1 bit=$((1 << ($2 - 1))) pending
	[[ $(process_state "$pid") == S ]] || return 1
	for pending in $(awk '$1 == "SigPnd:" || $1 == "ShdPnd:" { print $2 }' "/proc/$pid/status"); do
		((0x$pending & bit)) && return 1
	done
	return 0
}

# only_init_and_command_under PID: the processes below pidns PID are
# exactly its init and the command, and neither is a zombie.
only_init_and_command_under() {
	local below
	below=$(descendants_of "$1")
	[[ $(wc -l <<<"$below") -eq 2 && -z $(zombies_under "$1") ]]
}

# kill_children PID: SIGKILL every child of PID. For teardown: SIGKILL to
# a namespace's PID 1 takes everything in the namespace with it.
kill_children() {
	local child
	for child in $(children_of "$1"); do kill -KILL "$child" 2>/dev/null || true; done
}

# running_with PID TEXT: PID is alive (not a zombie) and its command line
# holds TEXT: still the process we mean, not a later one with its PID.
running_with() {
	local cmdline
	cmdline=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
	[[ $cmdline == *"$2"* ]]
}

# kill_if_running_with PID TEXT: SIGKILL PID if it is still that process.
kill_if_running_with() {
	if running_with "$1" "$2"; then kill -KILL "$1" 2>/dev/null || true; fi
}
