#!/usr/bin/env bash
# A single-node SLURM cluster on this machine, for trying and testing
# `snakemake --profile profiles/slurm` without a real cluster (tests/test_slurm.py
# runs the whole workflow on it). Needs root and Debian's packages
#   apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge
# and no systemd: the daemons are started by hand, in the background.
#
#   profiles/slurm/local-cluster.sh start    # up, node idle (a no-op when running)
#   profiles/slurm/local-cluster.sh status   # running or not (exit 0 / 3)
#   profiles/slurm/local-cluster.sh stop     # down, files removed (a no-op when stopped)
#
# Everything lives in one private directory, $BUURTPREVENTIE_SLURM_DIR
# (default /tmp/buurtpreventie-slurm): slurm.conf, spool and state directories,
# the daemons' logs and PID files. Outside it only two things: /etc/slurm/slurm.conf
# becomes a symbolic link to our slurm.conf (made only when there is no such file;
# SLURM's commands inside a job find their cluster there, as the plugin drops
# SLURM_CONF from a job step's environment), and /run/munge for munged, which is
# started only when no munge daemon answers yet. stop ends only the daemons whose
# PID files this script wrote, removes our link and the directory. The cluster has no accounting database (slurmdbd): `sacct` fails on it,
# so the profile asks squeue for job status (see profiles/slurm/config.yaml).
set -euo pipefail

DIR="${BUURTPREVENTIE_SLURM_DIR:-/tmp/buurtpreventie-slurm}"
CONF="$DIR/slurm.conf"
SYSTEM_CONF=/etc/slurm/slurm.conf # where SLURM's commands look without SLURM_CONF
MUNGE_SOCKET=/run/munge/munge.socket.2
MUNGE_KEY=/etc/munge/munge.key
DAEMONS=(slurmd slurmctld munged) # stop order
MARK=.buurtpreventie-local-cluster # what makes $DIR ours (stop removes it whole)

die() {
  echo "local-cluster: $*" >&2
  exit 1
}

pid_of() { # the PID recorded for daemon $1 when it is alive, else nothing
  local file="$DIR/$1.pid" pid
  [[ -f "$file" ]] || return 0
  pid="$(cat "$file")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
}

log_tail() { # the last lines of daemon $1's log, on one line
  local log="$DIR/$1.log"
  [[ -s "$log" ]] || {
    echo "(no log)"
    return
  }
  tail -n 5 "$log" | tr '\n' ' ' | tr -s ' '
}

running() {
  [[ -n "$(pid_of slurmctld)" && -n "$(pid_of slurmd)" ]]
}

munge_works() {
  [[ -S "$MUNGE_SOCKET" ]] && munge -n -S "$MUNGE_SOCKET" 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1
}

check_prerequisites() {
  [[ "$(id -u)" -eq 0 ]] || die "must run as root (slurmd and munged need it); run it with sudo"
  local missing=() tool
  for tool in slurmctld slurmd sinfo sbatch squeue scontrol munged munge unmunge; do
    command -v "$tool" >/dev/null 2>&1 || missing+=("$tool")
  done
  if ((${#missing[@]})); then
    die "missing ${missing[*]}: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge"
  fi
  id munge >/dev/null 2>&1 || die "no user 'munge' (is the munge package installed?)"
}

start_munge() {
  if munge_works; then
    return # a munge daemon answers already (the system's or ours): use it
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 0755 /run/munge
  if [[ ! -s "$MUNGE_KEY" ]]; then
    mkdir -p "$(dirname "$MUNGE_KEY")"
    (umask 077 && dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none)
    chown munge:munge "$MUNGE_KEY"
    chmod 0400 "$MUNGE_KEY"
  fi
  # munged forks; its PID file goes in our directory, so stop ends this one only
  : >"$DIR/munged.log"
  chown munge:munge "$DIR/munged.log"
  touch "$DIR/munged.pid"
  chown munge:munge "$DIR/munged.pid"
  if ! runuser -u munge -- munged --socket="$MUNGE_SOCKET" --pid-file="$DIR/munged.pid" \
    --log-file="$DIR/munged.log" >>"$DIR/munged.log" 2>&1; then
    die "munged did not start: $(log_tail munged)"
  fi
  for _ in $(seq 50); do
    munge_works && return
    sleep 0.1
  done
  die "munged does not answer on $MUNGE_SOCKET: $(log_tail munged)"
}

write_conf() {
  local node cpus memory
  # this machine's CPUs and memory, as slurmd sees them; memory a little below
  # the total, so that the node is not drained when the kernel reports less
  node="$(slurmd -C | head -n 1)"
  cpus="$(sed -n 's/.*CPUs=\([0-9]*\).*/\1/p' <<<"$node")"
  memory="$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$node")"
  [[ -n "$cpus" && -n "$memory" ]] || die "slurmd -C did not report CPUs and memory: $node"
  memory=$((memory * 95 / 100))
  cat >"$CONF" <<EOF
# A single-node cluster for profiles/slurm/local-cluster.sh; no accounting database.
ClusterName=buurtpreventie
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.daemon.pid
SlurmdPidFile=$DIR/slurmd.daemon.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
SlurmctldPort=${BUURTPREVENTIE_SLURMCTLD_PORT:-6817}
SlurmdPort=${BUURTPREVENTIE_SLURMD_PORT:-6818}
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
ReturnToService=2
MinJobAge=300
SchedulerType=sched/backfill
MpiDefault=none
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=local Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
}

link_conf() {
  # The SLURM plugin's job steps drop SLURM_CONF from the environment of the srun
  # they start inside each job, so the configuration must be where SLURM looks by
  # default: a symbolic link to ours, made only where no configuration is yet.
  if [[ -L "$SYSTEM_CONF" && "$(readlink "$SYSTEM_CONF")" == "$CONF" ]]; then
    return
  fi
  if [[ -e "$SYSTEM_CONF" || -L "$SYSTEM_CONF" ]]; then
    die "$SYSTEM_CONF exists already (another SLURM cluster?); this script does not replace it"
  fi
  mkdir -p "$(dirname "$SYSTEM_CONF")"
  ln -s "$CONF" "$SYSTEM_CONF"
}

unlink_conf() { # only our own link
  if [[ -L "$SYSTEM_CONF" && "$(readlink "$SYSTEM_CONF")" == "$CONF" ]]; then
    rm -f "$SYSTEM_CONF"
  fi
}

start_daemon() { # name, command...: in the background, its PID in <dir>/<name>.pid
  local name="$1"
  shift
  SLURM_CONF="$CONF" setsid "$@" >>"$DIR/$name.out" 2>&1 </dev/null &
  echo $! >"$DIR/$name.pid"
}

wait_idle() {
  local state
  for _ in $(seq 300); do
    for daemon in slurmctld slurmd; do
      [[ -n "$(pid_of "$daemon")" ]] || die "$daemon died: $(log_tail "$daemon") $(tail -n 3 "$DIR/$daemon.out" 2>/dev/null | tr '\n' ' ')"
    done
    state="$(SLURM_CONF="$CONF" sinfo --noheader --nodes=localhost --format=%T 2>/dev/null || true)"
    [[ "$state" == idle ]] && return
    sleep 0.1
  done
  die "the node did not become idle in 30 s (sinfo says '${state:-nothing}'): $(log_tail slurmctld)"
}

start() {
  check_prerequisites
  if running; then
    echo "local-cluster: running already ($CONF)"
    return
  fi
  [[ -f "$DIR/$MARK" ]] && stop_daemons # a half-started cluster of an earlier start
  if [[ -e "$DIR" && ! -f "$DIR/$MARK" ]]; then
    die "$DIR exists and is not this script's: set BUURTPREVENTIE_SLURM_DIR to a new directory"
  fi
  mkdir -p "$DIR/state" "$DIR/spool"
  chmod 0755 "$DIR"
  touch "$DIR/$MARK"
  link_conf
  start_munge
  write_conf
  start_daemon slurmctld slurmctld -D -i -f "$CONF"
  start_daemon slurmd slurmd -D -N localhost -f "$CONF"
  wait_idle
  echo "local-cluster: up, node localhost idle ($SYSTEM_CONF -> $CONF)"
}

stop_daemons() {
  local daemon pid
  for daemon in "${DAEMONS[@]}"; do
    pid="$(pid_of "$daemon")"
    if [[ -n "$pid" ]]; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$DIR/$daemon.pid"
  done
}

stop() {
  [[ -d "$DIR" ]] || {
    echo "local-cluster: not running"
    return
  }
  [[ -f "$DIR/$MARK" ]] || die "$DIR is not this script's directory; nothing stopped"
  [[ "$(id -u)" -eq 0 ]] || die "must run as root to stop the daemons"
  stop_daemons
  unlink_conf
  rm -rf "$DIR"
  echo "local-cluster: stopped"
}

status() {
  if running; then
    echo "local-cluster: running (slurmctld $(pid_of slurmctld), slurmd $(pid_of slurmd)); $CONF"
  else
    echo "local-cluster: not running"
    return 3
  fi
}

case "${1:-}" in
start) start ;;
stop) stop ;;
status) status ;;
*) die "usage: $0 start|stop|status" ;;
esac
