#!/usr/bin/env bash
# Vigil multi-host test bed: N fake Linux hosts on one machine.
#
# Each host is a network namespace on a bridge with its own sshd (own host key,
# key-only root login), hostname (UTS namespace), PID namespace (PID 1 is a
# reaper loop), overlaid /etc /var /opt /srv /usr/lib/ocf and its own /run /tmp
# /root. Clients (the controller, tests) run in the root namespace.
#
#   testbed.sh up N          start node1..nodeN (idempotent; adds hosts to a running bed)
#   testbed.sh down          stop everything this bed started (by PID), remove netns/veths/bridge/state
#   testbed.sh crash NODE    power cut: link down, every process killed, addresses flushed
#   testbed.sh partition NODE  link down, processes keep running
#   testbed.sh heal NODE     link up again (a crashed host is booted clean instead)
#   testbed.sh boot NODE     boot a crashed host (fresh /run and /tmp, no extra addresses)
#   testbed.sh exec NODE cmd...  run a command inside the host's namespaces
#   testbed.sh status        one line per host
#
# Names are unique on purpose (other test beds share this machine): netns and
# veths vg-nodeK, bridge vg-br0, net 10.215.0.0/24 (client .1, nodeK .(10+K)).
# Override with TB_DIR, TB_PREFIX, TB_BR, TB_NET (first three octets).
# `down` never kills by name: only the PIDs recorded in its own state and the
# PIDs `ip netns pids` reports for its own namespaces.
set -euo pipefail

TB_DIR=${TB_DIR:-/tmp/vigil-testbed}
# a running bed remembers its names, so TB_DIR alone finds it (fence_testbed relies on that)
SAVED_PREFIX="" SAVED_BR="" SAVED_NET=""
[ -f "$TB_DIR/config" ] && . "$TB_DIR/config"
TB_PREFIX=${TB_PREFIX:-${SAVED_PREFIX:-vg}}
TB_BR=${TB_BR:-${SAVED_BR:-vg-br0}}
TB_NET=${TB_NET:-${SAVED_NET:-10.215.0}}
CLIENT_ADDR="$TB_NET.1"

die() { echo "testbed: $*" >&2; exit 1; }
[ "${EUID:-$(id -u)}" = 0 ] || die "needs root (network namespaces, mounts)"

ns_of() { echo "$TB_PREFIX-$1"; }          # netns and root-side veth name
idx_of() { local n=${1#node}; [[ $n =~ ^[0-9]+$ ]] || die "bad node name '$1' (expected nodeK)"; echo "$n"; }
addr_of() { echo "$TB_NET.$((10 + $(idx_of "$1")))"; }
ndir() { echo "$TB_DIR/nodes/$1"; }
known_node() { [ -f "$TB_DIR/nodes/$1/created" ] || die "unknown node '$1' (not created by this test bed; see 'status')"; }
pid1_of() { cat "$(ndir "$1")/pid1" 2>/dev/null || true; }
alive() { local p; p=$(pid1_of "$1"); [ -n "$p" ] && kill -0 "$p" 2>/dev/null; }
nodes_list() { [ -d "$TB_DIR/nodes" ] || return 0; local d; for d in "$TB_DIR"/nodes/node*; do [ -f "$d/created" ] && basename "$d"; done | sort -V; }

# the script PID 1 of a host runs (inside: new mount + pid + uts namespace)
write_boot() {
  local node=$1 d; d=$(ndir "$node")
  cat >"$d/boot.sh" <<EOF
#!/bin/bash
# PID 1 of test-bed host $node
set -e
D=$d
hostname $node
mount --make-rprivate /
for m in etc var opt srv usr/lib/ocf; do
  u=\$D/ov/_\${m//\//_}
  mkdir -p "\$u.upper" "\$u.work"
  mount -t overlay overlay -o "lowerdir=/\$m,upperdir=\$u.upper,workdir=\$u.work" "/\$m"
done
rm -rf "\$D/run" "\$D/tmp"; mkdir -p "\$D/run" "\$D/tmp" "\$D/root"; chmod 1777 "\$D/tmp"; chmod 700 "\$D/root"
mount --bind "\$D/run" /run
mount --bind "\$D/root" /root
# the machine's host keys are not this host's: whiteout, then install our own
rm -f /etc/ssh/ssh_host_*
cp "\$D/hostkey/ssh_host_ed25519_key" "\$D/hostkey/ssh_host_ed25519_key.pub" /etc/ssh/
chmod 600 /etc/ssh/ssh_host_ed25519_key
cp "\$D/sshd_config" /etc/ssh/sshd_config
echo $node >/etc/hostname
mkdir -p /run/sshd /run/lock /run/vigil; chmod 755 /run/sshd
# tmpfiles.d 'd /run/...' entries (no systemd here)
for f in /usr/lib/tmpfiles.d/*.conf; do
  while read -r t p mode rest; do
    [ "\$t" = d ] && case \$p in /run/systemd*) ;; /run/*) mkdir -p "\$p"; [ "\$mode" != - ] && chmod "\$mode" "\$p" || true;; esac
  done <"\$f" || true
done
# /tmp last: \$D lives under the machine's /tmp
mount --bind "\$D/tmp" /tmp
/usr/sbin/sshd -E /var/log/vigil-sshd.log
set +e
trap '' TERM INT HUP
# reaper: bash reaps every child (orphans re-parented to us included) on SIGCHLD
while :; do sleep 3600 & wait \$!; done
EOF
  chmod 755 "$d/boot.sh"
}

start_pid1() {
  local node=$1 d ns parent p1=""; d=$(ndir "$node"); ns=$(ns_of "$node")
  : >"$d/boot.log"
  ip netns exec "$ns" unshare --uts --pid --fork --mount-proc --propagation private \
    bash "$d/boot.sh" </dev/null >>"$d/boot.log" 2>&1 9>&- &
  parent=$!
  echo "$parent" >"$d/unshare.pid"
  for _ in $(seq 1 200); do
    p1=$(cat "/proc/$parent/task/$parent/children" 2>/dev/null | awk '{print $1}')
    [ -n "$p1" ] && break
    sleep 0.01
  done
  [ -n "$p1" ] || die "$node: PID 1 did not start (see $d/boot.log)"
  echo "$p1" >"$d/pid1"
}

wait_sshd() {
  local node=$1 addr; addr=$(addr_of "$node")
  for _ in $(seq 1 300); do
    if [ -s "$(ndir "$node")/run/sshd.pid" ] && timeout 1 bash -c "exec 3<>/dev/tcp/$addr/22" 2>/dev/null; then return 0; fi
    sleep 0.01
  done
  die "$node: sshd did not come up on $addr:22 (see $(ndir "$node")/boot.log, $(ndir "$node")/ov/_var.upper/log/vigil-sshd.log)"
}

net_setup() {
  local node=$1 ns addr; ns=$(ns_of "$node"); addr=$(addr_of "$node")
  [ -e "/run/netns/$ns" ] || ip netns add "$ns"
  if ! ip link show "$ns" >/dev/null 2>&1; then
    ip link add "$ns" type veth peer name eth0 netns "$ns"
  fi
  ip link set "$ns" master "$TB_BR" up
  ip -n "$ns" link set lo up
  ip -n "$ns" link set eth0 up
  ip -n "$ns" addr flush dev eth0
  ip -n "$ns" addr add "$addr/24" dev eth0
}

create_node() {
  local node=$1 d; d=$(ndir "$node")
  mkdir -p "$d/hostkey" "$d/root/.ssh" "$d/ov"
  [ -f "$d/hostkey/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "root@$node" -f "$d/hostkey/ssh_host_ed25519_key"
  cp -n /etc/skel/.bashrc /etc/skel/.profile /etc/skel/.bash_logout "$d/root/" 2>/dev/null || true
  cp "$TB_DIR/ssh/id_ed25519.pub" "$d/root/.ssh/authorized_keys"
  chmod 700 "$d/root" "$d/root/.ssh"; chmod 600 "$d/root/.ssh/authorized_keys"
  cat >"$d/sshd_config" <<'EOF'
# test-bed host sshd: key-only root login, Debian defaults otherwise (MaxSessions 10)
Port 22
HostKey /etc/ssh/ssh_host_ed25519_key
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
PidFile /run/sshd.pid
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
EOF
  touch "$d/created"
}

boot_node() {
  local node=$1
  net_setup "$node"
  write_boot "$node"
  start_pid1 "$node"
  rm -f "$(ndir "$node")/crashed" "$(ndir "$node")/partitioned"
}

write_hosts_files() {
  local hosts="127.0.0.1 localhost
$CLIENT_ADDR vigil-client" n
  for n in $(nodes_list); do hosts+=$'\n'"$(addr_of "$n") $n"; done
  for n in $(nodes_list); do
    alive "$n" || continue
    printf '%s\n' "$hosts" | nsenter -t "$(pid1_of "$n")" -m -u -n -p -- sh -c 'cat >/etc/hosts'
  done
}

write_client_files() {
  local n first=1 key
  : >"$TB_DIR/ssh/known_hosts"; : >"$TB_DIR/ssh/config"
  {
    echo "{"
    echo "  \"privateKeyPath\": \"$TB_DIR/ssh/id_ed25519\","
    echo "  \"knownHostsPath\": \"$TB_DIR/ssh/known_hosts\","
    echo "  \"sshConfigPath\": \"$TB_DIR/ssh/config\","
    echo "  \"clientAddress\": \"$CLIENT_ADDR\","
    echo "  \"bridge\": \"$TB_BR\","
    echo "  \"nodes\": ["
    for n in $(nodes_list); do
      key=$(awk '{print $1" "$2}' "$(ndir "$n")/hostkey/ssh_host_ed25519_key.pub")
      echo "$n,$(addr_of "$n") $key" >>"$TB_DIR/ssh/known_hosts"
      printf 'Host %s\n  HostName %s\n  User root\n  IdentityFile %s\n  IdentitiesOnly yes\n  UserKnownHostsFile %s\n  StrictHostKeyChecking yes\n  KexAlgorithms curve25519-sha256\n  ConnectTimeout 3\n' \
        "$n" "$(addr_of "$n")" "$TB_DIR/ssh/id_ed25519" "$TB_DIR/ssh/known_hosts" >>"$TB_DIR/ssh/config"
      [ $first = 1 ] || echo ","
      first=0
      printf '    {"name": "%s", "host": "%s", "port": 22, "netns": "%s", "hostKey": "%s"}' "$n" "$(addr_of "$n")" "$(ns_of "$n")" "$key"
    done
    echo
    echo "  ]"
    echo "}"
  } >"$TB_DIR/nodes.json.tmp"
  mv "$TB_DIR/nodes.json.tmp" "$TB_DIR/nodes.json"
}

cmd_up() {
  local count=${1:-3} k n
  [[ $count =~ ^[0-9]+$ ]] && [ "$count" -ge 1 ] && [ "$count" -le 50 ] || die "up: N must be 1..50, got '$count'"
  mkdir -p "$TB_DIR/ssh" "$TB_DIR/nodes"
  touch "$TB_DIR/.vigil-testbed"
  printf 'SAVED_PREFIX=%q\nSAVED_BR=%q\nSAVED_NET=%q\n' "$TB_PREFIX" "$TB_BR" "$TB_NET" >"$TB_DIR/config"
  [ -f "$TB_DIR/ssh/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C vigil-testbed-client -f "$TB_DIR/ssh/id_ed25519"
  if ! ip link show "$TB_BR" >/dev/null 2>&1; then
    ip link add "$TB_BR" type bridge
    touch "$TB_DIR/bridge-created"
  fi
  ip addr replace "$CLIENT_ADDR/24" dev "$TB_BR"
  ip link set "$TB_BR" up
  for k in $(seq 1 "$count"); do
    n=node$k
    [ -f "$(ndir "$n")/created" ] || create_node "$n"
    if alive "$n"; then continue; fi
    boot_node "$n"
  done
  for k in $(seq 1 "$count"); do wait_sshd "node$k"; done
  write_hosts_files
  write_client_files
  echo "TESTBED_DIR=$TB_DIR"
  echo "TESTBED_NODES_JSON=$TB_DIR/nodes.json"
  echo "TESTBED_SSH_CONFIG=$TB_DIR/ssh/config"
  echo "TESTBED_CLIENT=$CLIENT_ADDR"
  echo "TESTBED_HOSTS=\"$(nodes_list | tr '\n' ' ' | sed 's/ $//')\""
}

# true when the process is gone or a zombie (read with builtins: no fork)
gone() {
  local st="" rest
  [ -r "/proc/$1/stat" ] || return 0
  read -r rest <"/proc/$1/stat" 2>/dev/null || return 0
  rest=${rest##*) }; st=${rest%% *}
  [ "$st" = Z ] || [ "$st" = X ]
}

# Fencing runs this on the failover path, and every fork costs 10-50 ms on a loaded 2-core
# machine: builtins only, except one `ip netns pids` and the ip calls themselves.
kill_node_procs() {
  local node=$1 ns=$TB_PREFIX-$1 d=$TB_DIR/nodes/$1 p1="" pu="" p i left
  [ -s "$d/pid1" ] && read -r p1 <"$d/pid1" || true
  [ -s "$d/unshare.pid" ] && read -r pu <"$d/unshare.pid" || true
  # PID 1 of a PID namespace dying takes every process of that namespace with it
  [ -n "$p1" ] && kill -KILL "$p1" 2>/dev/null || true
  [ -n "$pu" ] && kill -KILL "$pu" 2>/dev/null || true
  # a killed PID 1 stays a zombie until the machine's init reaps it (slowly): zombie = dead
  for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do
    [ -z "$p1" ] || gone "$p1" && break
    sleep 0.01
  done
  # anything else that entered the netns without its PID namespace (ip netns exec ...)
  if [ -e "/run/netns/$ns" ]; then
    left=$(ip netns pids "$ns" 2>/dev/null) || true
    for p in $left; do kill -KILL "$p" 2>/dev/null || true; done
  fi
  : >"$d/pid1"; : >"$d/unshare.pid"
  return 0
}

cmd_crash() {
  local node=$1 ns=$TB_PREFIX-$1; known_node "$node"
  # the power cut first: from here on nothing gets in or out
  ip link set "$ns" down 2>/dev/null || true
  kill_node_procs "$node"
  ip -n "$ns" -batch - 2>/dev/null <<<$'link set eth0 down\naddr flush dev eth0' || true
  : >"$TB_DIR/nodes/$node/crashed"
  echo "crashed $node"
}

cmd_partition() {
  local node=$1; known_node "$node"
  ip link set "$(ns_of "$node")" down
  touch "$(ndir "$node")/partitioned"
  echo "partitioned $node"
}

cmd_boot() {
  local node=$1; known_node "$node"
  if alive "$node"; then echo "$node is already running"; return 0; fi
  boot_node "$node"
  wait_sshd "$node"
  write_hosts_files
  echo "booted $node"
}

cmd_heal() {
  local node=$1; known_node "$node"
  if [ -f "$(ndir "$node")/crashed" ] || ! alive "$node"; then cmd_boot "$node"; return; fi
  ip link set "$(ns_of "$node")" up
  rm -f "$(ndir "$node")/partitioned"
  echo "healed $node"
}

cmd_exec() {
  local node=$1; shift; known_node "$node"
  alive "$node" || die "$node is not running (crashed?)"
  [ $# -gt 0 ] || die "exec: no command"
  exec nsenter -t "$(pid1_of "$node")" -m -u -n -p -w -- "$@"
}

node_state() {
  local node=$1 d; d=$(ndir "$node")
  if ! alive "$node"; then echo off; elif [ -f "$d/partitioned" ]; then echo partitioned
  elif [ "$(cat "/sys/class/net/$(ns_of "$node")/operstate" 2>/dev/null)" = down ]; then echo link-down
  else echo up; fi
}

cmd_status() {
  local n any=0
  for n in $(nodes_list); do
    any=1
    printf '%-8s %-15s %-12s pid1=%s\n' "$n" "$(addr_of "$n")" "$(node_state "$n")" "$(pid1_of "$n")"
  done
  [ $any = 1 ] || echo "test bed is down ($TB_DIR)"
}

cmd_down() {
  local n ns
  [ -d "$TB_DIR" ] || { echo "test bed is down ($TB_DIR)"; return 0; }
  # every host folder, also half-created ones from a failed `up`
  for n in $( [ -d "$TB_DIR/nodes" ] && ls "$TB_DIR/nodes" | grep -E '^node[0-9]+$' || true); do
    ns=$(ns_of "$n")
    kill_node_procs "$n"
    ip link del "$ns" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$(ndir "$n")"
  done
  if [ -f "$TB_DIR/bridge-created" ]; then ip link del "$TB_BR" 2>/dev/null || true; fi
  rmdir "$TB_DIR/nodes" 2>/dev/null || true
  rm -rf "$TB_DIR/ssh"
  rm -f "$TB_DIR/config" "$TB_DIR/nodes.json" "$TB_DIR/nodes.json.tmp" "$TB_DIR/bridge-created" "$TB_DIR/.vigil-testbed"
  rmdir "$TB_DIR" 2>/dev/null || true
  echo "test bed down"
}

cmd=${1:-}; shift || true
# one changing command at a time per bed (parallel test files, fence_testbed during a heal ...);
# the lock file sits next to TB_DIR so that `down` can remove the folder itself
case $cmd in
  up|down|crash|partition|heal|boot|poweron)
    [ -d "${TB_DIR%/*}" ] || mkdir -p "${TB_DIR%/*}"
    exec 9>"$TB_DIR.lock"
    flock -w 120 9 || die "another testbed.sh holds $TB_DIR.lock"
    ;;
esac
case $cmd in
  up) cmd_up "$@" ;;
  down) cmd_down ;;
  crash) [ $# = 1 ] || die "usage: crash NODE"; cmd_crash "$1" ;;
  partition) [ $# = 1 ] || die "usage: partition NODE"; cmd_partition "$1" ;;
  heal) [ $# = 1 ] || die "usage: heal NODE"; cmd_heal "$1" ;;
  boot|poweron) [ $# = 1 ] || die "usage: boot NODE"; cmd_boot "$1" ;;
  exec) [ $# -ge 2 ] || die "usage: exec NODE cmd..."; cmd_exec "$@" ;;
  status) cmd_status ;;
  pid1) [ $# = 1 ] || die "usage: pid1 NODE"; pid1_of "$1" ;;
  state) [ $# = 1 ] || die "usage: state NODE"; known_node "$1"; node_state "$1" ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; [ -z "$cmd" ] || die "unknown command '$cmd'"; exit 2 ;;
esac
