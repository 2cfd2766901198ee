#!/bin/sh
# PMEM Lab probe agent on ttyS1, started by init while the boot's modules load; it announces itself once
# the boot's login shell opens the FIFO named by $1 (/etc/profile: the modules are loaded, the shell is up).
# One request per line:
#   NONCE snap              -> the whole memory-state snapshot
#   NONCE run SECS B64CMD   -> run a shell command, reply with its exit code and base64 output;
#                              the command and its output are echoed on the console (ttyS0)
#   NONCE exec SECS B64CMD  -> the same without the echo, for the lab's own housekeeping
#   NONCE ping
# Every reply is framed "@@PMEMLAB NONCE BEGIN" .. "@@PMEMLAB NONCE END RC".
# The snapshot uses shell builtins only: each fork costs milliseconds under TCG.
# It ends with the kernel messages since the previous snap ("D text", the first snap: since boot).

# One reader of /dev/kmsg for the agent's lifetime (reading it never clears the ring buffer: dmesg
# still shows everything) turns each record "prio,seq,usec,flags;text" into "D text", dropping the
# timestamp and the record's dictionary (the lines " KEY=VALUE" after it), and appends it to a file.
# cat stops when the ring buffer overwrote records it had not read (EPIPE); it starts again from the
# oldest, and awk skips the sequence numbers it has written. fd 9 keeps the agent's place in the file.
: >> /tmp/.kmsg
{ while :; do cat /dev/kmsg & echo $! > /tmp/.kmsg.pid; wait $!; sleep 1; done; } 2>/dev/null |
	awk -F '[,;]' 'BEGIN { seq = -1 }
		/^ / { next }
		$2 + 0 > seq { seq = $2 + 0; sub(/^[^;]*;/, ""); print "D " $0; fflush() }' >> /tmp/.kmsg &
kmsg_awk=$!
exec 9< /tmp/.kmsg
part=
sleeping() { # sleeping PID: the task waits (for a record, cat; for a line, awk)
	st=; read -rn 16 st < /proc/$1/stat 2>/dev/null
	case "$st" in *") S "*) return 0 ;; esac
	return 1
}
# A message without a trailing newline (kernel/resource.c's "Unaddressable device ... conflicts with ...")
# stays an open record, unseen by /dev/kmsg readers, until the next message: each snap starts by writing
# a mark of its own at debug level, which closes any open record, and ends reading the log up to it (by
# then the reader has mostly copied it: waiting costs a fork per try). Marks are not reported.
mark=0
kmark() {
	mark=$((mark + 1))
	want=; echo "<7>pmem-lab: log mark $mark" > /dev/kmsg 2>/dev/null && want="D pmem-lab: log mark $mark"
}
kmsg() { # the lines written since the previous snap, up to this snap's mark
	tries=0
	while :; do
		while IFS= read -r l <&9 || { part="$part$l"; false; }; do
			l="$part$l"; part=
			case "$l" in
			"$want") want=; break ;;
			"D pmem-lab: log mark "*) ;;
			*) echo "$l" ;;
			esac
		done
		[ -z "$want" ] || [ $((tries += 1)) -gt 300 ] && return
		sleep 0.01
	done
}

attr() { # attr FILE...: "A path value" for each readable file
	for f in "$@"; do
		[ -r "$f" ] || continue
		v=
		read -r v < "$f" 2>/dev/null || [ -n "$v" ] || continue
		echo "A ${f#/sys/} $v"
	done
}

links() { # links GLOB...: "L path" for each existing entry
	for f in "$@"; do [ -e "$f" ] && echo "L ${f#/sys/}"; done
}

# The CXL bus: where each device sits (one ls for all the links: each fork costs milliseconds), then
# the decoders', regions' and memdevs' attributes and the regions bound to their driver. Debian builds the
# bus in, so only a guest with a CXL root (cxl_acpi found ACPI0017) pays for it.
cxl() {
	C=/sys/bus/cxl/devices
	ls -l $C/ $C/endpoint*/uport 2>/dev/null | while IFS= read -r l; do case "$l" in *" -> "*) echo "C $l" ;; esac; done
	for d in $C/decoder*; do
		attr $d/start $d/size $d/interleave_ways $d/interleave_granularity $d/target_list $d/region $d/mode \
			$d/dpa_resource $d/dpa_size $d/create_pmem_region
	done
	for d in $C/region*; do
		attr $d/resource $d/size $d/interleave_ways $d/interleave_granularity $d/commit $d/target[0-9]*
	done
	for d in $C/mem*; do attr $d/pmem/size $d/label_storage_size $d/serial $d/numa_node; done
	links /sys/bus/cxl/drivers/cxl_region/region*
}

# Compact lines: every byte crosses an emulated 16550 UART.
snap() {
	kmark
	read -r v < /proc/sys/kernel/osrelease; echo "K $v"
	while IFS= read -r l; do echo "I $l"; done < /proc/iomem
	M=/sys/devices/system/memory
	read -r bs < $M/block_size_bytes; read -r ao < $M/auto_online_blocks; echo "G $bs $ao"
	for d in $M/memory[0-9]*; do
		read -r st < $d/state; read -r rm < $d/removable; read -r vz < $d/valid_zones
		echo "B ${d##*memory} $st $rm $vz"
	done
	for n in /sys/devices/system/node/node[0-9]*; do
		read -r mi < $n/meminfo
		c=; for x in $n/cpu[0-9]*; do [ -e "$x" ] && c="$c,${x##*cpu}"; done
		b=; for x in $n/memory[0-9]*; do [ -e "$x" ] && b="$b ${x##*memory}"; done
		echo "N ${n##*node} ${c#,} $mi"
		echo "M ${n##*node}$b"
	done
	for d in /sys/bus/nd/devices/region* /sys/bus/nd/devices/namespace*; do
		attr $d/devtype $d/size $d/align $d/available_size $d/mode $d/uuid $d/holder $d/numa_node $d/target_node
	done
	for d in /sys/bus/dax/devices/dax*; do attr $d/size $d/target_node; done
	links /sys/bus/dax/drivers/*/dax*
	[ -e /sys/bus/cxl/devices/root0 ] && cxl
	kmsg
}

# The first snapshot is the booted state: wait until the login shell opens the FIFO, after the last module.
read -r _ < "$1"
# The reader is still copying the boot log: once cat and awk both wait, the file has it all. Each check
# costs milliseconds under TCG, so later snaps trust that a step's messages were copied while its reply
# crossed the wire.
n=0
until read -r p < /tmp/.kmsg.pid && sleeping "$p" && sleeping $kmsg_awk || [ $((n += 1)) -gt 300 ]; do :; done
echo "@@PMEMLAB 0 READY"
rm -f "$1" # a later login shell finds no FIFO to open
while IFS=' ' read -r nonce verb a1 a2; do
	case "$verb" in
	snap)
		echo "@@PMEMLAB $nonce BEGIN"; snap; echo "@@PMEMLAB $nonce END 0" ;;
	run|exec)
		cmd=$(echo "$a2" | base64 -d)
		[ "$verb" = run ] && echo "# $cmd" > /dev/ttyS0
		timeout -s KILL "$a1" sh -c "$cmd" > /tmp/.out 2>&1 < /dev/null 9<&-
		rc=$?
		[ "$verb" = run ] && cat /tmp/.out > /dev/ttyS0
		echo "@@PMEMLAB $nonce BEGIN"; base64 < /tmp/.out; echo "@@PMEMLAB $nonce END $rc" ;;
	ping)
		echo "@@PMEMLAB $nonce BEGIN"; echo "@@PMEMLAB $nonce END 0" ;;
	'') ;;
	*)
		echo "@@PMEMLAB $nonce BEGIN"; echo "unknown verb $verb"; echo "@@PMEMLAB $nonce END 127" ;;
	esac
done
