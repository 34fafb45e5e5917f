#!/bin/sh
# The clean-room job launcher. Runs as root *inside* fresh mount, PID and
# network namespaces (started by src/runner/sandbox.ts through `unshare`), and
# stays there as PID 1: when it exits, the kernel kills every process the job
# left behind. It hides the platform from the job, then starts the job's
# Python under its resource limits and (when the platform runs as root) its
# own unprivileged uid, and exits with the job's status (128+N for signal N).
#
# Inputs (environment, removed before the job starts):
#   VCE_WORK      host path of the job's work folder (its cwd, output/ inside)
#   VCE_SOCKET    host path of the job's data socket
#   VCE_RUNTIME   host folder with bootstrap.py; VCE_PYRQS: a folder holding only the pyrqs
#                 package (src/runner/pyrqs-stage.ts: no tests, caches or pyproject)
#   VCE_HIDE      newline-separated host paths covered by an empty read-only tmpfs
#   VCE_UID       the job's uid, or empty to keep the current one (user namespace)
#   VCE_PRLIMIT   prlimit options (--as=.. --cpu=.. ...)
#   VCE_PYTHON    the interpreter; VCE_ENTRY the script or notebook
set -eu
fail() { echo "vce-sandbox: $*" >&2; exit 125; }

mount --make-rprivate / || fail "cannot make mounts private"

# 1. A staging tmpfs at /mnt: the job's folder, its socket and the runtime, bound in.
STAGE=/mnt
mount -t tmpfs -o size=1m,mode=0755 vce-stage "$STAGE" || fail "cannot mount the staging tmpfs"
mkdir "$STAGE/work" "$STAGE/runtime" "$STAGE/pyrqs"
touch "$STAGE/data.sock"
mount --bind "$VCE_WORK" "$STAGE/work" || fail "cannot bind the work folder"
mount --bind "$VCE_SOCKET" "$STAGE/data.sock" || fail "cannot bind the data socket"
mount --bind -o ro "$VCE_RUNTIME" "$STAGE/runtime" || fail "cannot bind the runtime"
mount -o remount,bind,ro "$STAGE/runtime"
mount --bind -o ro "$VCE_PYRQS" "$STAGE/pyrqs" || fail "cannot bind pyrqs"
mount -o remount,bind,ro "$STAGE/pyrqs"
mount -o remount,ro "$STAGE"

# 2. Hide the platform: its data dir (database, other jobs, keys, releases) and
#    private places; fail closed when a path cannot be covered.
printf '%s\n' "$VCE_HIDE" | while IFS= read -r path; do
  [ -n "$path" ] || continue
  [ -e "$path" ] || continue
  mount -t tmpfs -o ro,size=4k,mode=0755 vce-hidden "$path" || { echo "vce-sandbox: cannot hide $path" >&2; exit 125; }
done || exit 125
# Everything at the top of the file system but what Python needs to run is
# covered too (source trees, fixtures, home folders, /var, /opt, /srv, ...).
for path in /*; do
  case "$path" in
    /bin|/sbin|/lib|/lib32|/lib64|/libx32|/usr|/etc|/dev|/proc|/sys|/mnt|/tmp) continue ;;
  esac
  [ -d "$path" ] && [ ! -L "$path" ] || continue
  mount -t tmpfs -o ro,size=4k,mode=0755 vce-hidden "$path" || fail "cannot hide $path"
done
# (/sys/fs/cgroup: the job was put in its control groups before it started; it
# has no business reading other jobs' groups or the platform's.)
for path in /etc/ssh /etc/jupyter /sys/fs/cgroup; do
  [ -d "$path" ] && mount -t tmpfs -o ro,size=4k,mode=0755 vce-hidden "$path"
done
# Fresh, small, private scratch space.
for path in /tmp /dev/shm; do
  [ -d "$path" ] && mount -t tmpfs -o size=64m,mode=1777,nosuid,nodev vce-tmp "$path"
done
# Only this namespace's processes in /proc (the platform's environment stays out of reach).
mount -t proc -o nosuid,nodev,noexec,hidepid=2 proc /proc || fail "cannot mount /proc"

# Shell-local copies; the exported inputs are removed so the job never sees them.
job_uid=$VCE_UID job_limits=$VCE_PRLIMIT job_python=$VCE_PYTHON job_entry=$VCE_ENTRY
unset VCE_WORK VCE_SOCKET VCE_RUNTIME VCE_PYRQS VCE_HIDE VCE_UID VCE_PRLIMIT VCE_PYTHON VCE_ENTRY

cd "$STAGE/work"
unset OLDPWD
set +e
# The job, as a child (PID 2): this shell stays PID 1 so that the namespace,
# and everything the job forked, ends when the job does.
if [ -n "$job_uid" ]; then
  # shellcheck disable=SC2086
  prlimit $job_limits -- setpriv --reuid "$job_uid" --regid "$job_uid" --clear-groups \
    --no-new-privs --inh-caps=-all --bounding-set=-all -- \
    "$job_python" -s -E -B "$STAGE/runtime/bootstrap.py" "$STAGE/pyrqs" "$job_entry"
else
  # In a user namespace the job would be root there: no capabilities, so it cannot undo the mounts.
  # shellcheck disable=SC2086
  prlimit $job_limits -- setpriv --no-new-privs --inh-caps=-all --bounding-set=-all -- \
    "$job_python" -s -E -B "$STAGE/runtime/bootstrap.py" "$STAGE/pyrqs" "$job_entry"
fi
exit $?
