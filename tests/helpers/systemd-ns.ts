import { spawn, spawnSync, type ChildProcess, type SpawnSyncReturns } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmdirSync, statSync, writeFileSync } from 'node:fs'
import path from 'node:path'

// A real systemd (PID 1 of new pid, mount, network and cgroup namespaces) for tests of the
// shipped unit and install.sh. Before systemd starts, every path it or install.sh writes is made
// private: /etc, /opt, /var, /usr/local, /root and /home are overlays whose upper layer lives in a
// tmpfs; /run, /tmp and /dev are fresh tmpfs (the device nodes systemd needs are bind-mounted),
// the cgroup tree is a child of ours. Killing PID 1 ends everything and the mounts vanish with the
// namespace: this machine's /etc/passwd, /opt, /dev and cgroups are left as they were.

const PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** Units of this machine that a test boot must not start (hardware, clock, kernel settings, other services). */
const MASKED = [
  'systemd-udevd.service', 'systemd-udevd-control.socket', 'systemd-udevd-kernel.socket', 'systemd-udev-trigger.service',
  'systemd-udev-settle.service', 'systemd-sysctl.service', 'systemd-modules-load.service', 'kmod-static-nodes.service',
  'systemd-tmpfiles-setup-dev.service', 'systemd-timesyncd.service', 'systemd-pstore.service', 'systemd-binfmt.service',
  'proc-sys-fs-binfmt_misc.automount', 'proc-sys-fs-binfmt_misc.mount', 'sys-kernel-debug.mount', 'sys-kernel-tracing.mount',
  'sys-kernel-config.mount', 'sys-fs-fuse-connections.mount', 'dev-hugepages.mount', 'systemd-remount-fs.service',
  'systemd-firstboot.service', 'systemd-machine-id-commit.service', 'systemd-repart.service', 'systemd-logind.service',
  'getty.target', 'console-getty.service', 'systemd-hwdb-update.service', 'ldconfig.service', 'systemd-random-seed.service',
  'timers.target', 'cryptsetup.target', 'integritysetup.target', 'veritysetup.target',
  'systemd-networkd-wait-online.service', 'NetworkManager-wait-online.service', 'networking.service', 'ifupdown-wait-online.service',
]

/** Runs as the namespace's PID 1, then execs systemd. $1: a folder to show read-only at /run/moat-package. */
const BOOT = `#!/bin/sh
set -eu
ip link set lo up
mount -t tmpfs -o mode=0755,nosuid,nodev tmpfs /run
mkdir -p /run/lock /run/.ovl /run/.dev /run/moat-package
mount --bind -o ro "$1" /run/moat-package
for d in /etc /opt /var /usr/local /root /home; do
  n=$(echo "$d" | tr / _)
  mkdir -p "/run/.ovl/$n/u" "/run/.ovl/$n/w"
  mount -t overlay overlay -o "lowerdir=$d,upperdir=/run/.ovl/$n/u,workdir=/run/.ovl/$n/w" "$d"
done
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /tmp
mount -t tmpfs -o mode=0755,nosuid tmpfs /run/.dev
for n in null zero full random urandom tty; do touch "/run/.dev/$n"; mount --bind "/dev/$n" "/run/.dev/$n"; done
mkdir /run/.dev/pts /run/.dev/shm
mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts /run/.dev/pts
mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs /run/.dev/shm
ln -s pts/ptmx /run/.dev/ptmx
ln -s /proc/self/fd /run/.dev/fd
for i in 0:stdin 1:stdout 2:stderr; do ln -s "/proc/self/fd/\${i%%:*}" "/run/.dev/\${i#*:}"; done
mount --move /run/.dev /dev
mount -t cgroup2 none /sys/fs/cgroup
for u in ${MASKED.join(' ')}; do ln -sf /dev/null "/etc/systemd/system/$u"; done
printf '[Unit]\\nDescription=Moat test boot\\nRequires=sysinit.target sockets.target\\nAfter=sysinit.target sockets.target\\n' > /etc/systemd/system/moat-test.target
export container=docker
exec /usr/bin/systemd --system --unit=moat-test.target --log-target=journal --log-level=notice
`

/** The cgroup v2 hierarchy on this machine (hybrid: /sys/fs/cgroup/unified; unified: /sys/fs/cgroup). */
function cgroup2Root(): string | null {
  for (const dir of ['/sys/fs/cgroup/unified', '/sys/fs/cgroup']) {
    if (existsSync(path.join(dir, 'cgroup.procs')) && existsSync(path.join(dir, 'cgroup.subtree_control'))) return dir
  }
  return null
}

/** Why a real systemd cannot be booted here, or null when it can (checked, not guessed). */
export function systemdUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (namespaces, mounts)'
  if (process.platform !== 'linux') return 'Linux only'
  for (const bin of ['/usr/bin/systemd', '/usr/bin/systemctl', '/usr/bin/journalctl']) {
    if (!existsSync(bin)) return `${bin} is not installed (apt-get install systemd)`
  }
  for (const tool of ['unshare', 'nsenter', 'ip']) {
    if (spawnSync('sh', ['-c', `command -v ${tool}`]).status !== 0) return `${tool} is not installed`
  }
  if (!cgroup2Root()) return 'no cgroup v2 hierarchy (systemd 252 needs /sys/fs/cgroup/unified or a unified /sys/fs/cgroup)'
  if (!readFileSync('/proc/filesystems', 'utf8').includes('\toverlay')) return 'the kernel has no overlayfs'
  const probe = spawnSync('unshare', ['-m', '-p', '-n', '-C', '-f', '--mount-proc', '--propagation', 'private', 'sh', '-c',
    'mount -t tmpfs tmpfs /mnt && mkdir /mnt/u /mnt/w && mount -t overlay overlay -o lowerdir=/etc,upperdir=/mnt/u,workdir=/mnt/w /etc && touch /etc/.moat-probe && mount -t cgroup2 none /sys/fs/cgroup'],
  { encoding: 'utf8' })
  if (probe.status !== 0) return `cannot create namespaces with overlay /etc and a cgroup2 mount: ${probe.stderr.trim()}`
  return null
}

export interface SystemdNs {
  /** Host PID of the namespace's systemd (PID 1 inside). */
  pid: number
  /** Runs a command inside (mount, pid, network namespaces) with a clean environment. */
  run(argv: string[], opts?: { timeout?: number; input?: string }): SpawnSyncReturns<string>
  /** Like run, but throws with the output when the exit status is not 0; returns stdout. */
  sh(script: string, opts?: { timeout?: number }): string
  /** Kills the namespace (PID 1 and with it every process in it) and removes its cgroups. */
  stop(): Promise<void>
}

/** Boots systemd; `pkgDir` is shown read-only inside at /run/moat-package. */
export async function bootSystemd(work: string, pkgDir: string, lifetimeSec = 600): Promise<SystemdNs> {
  const boot = path.join(work, 'systemd-boot.sh')
  writeFileSync(boot, BOOT, { mode: 0o755 })
  const cg = path.join(cgroup2Root()!, `moat-test-${process.pid}-${Date.now()}`)
  // The outer shell moves itself into a cgroup of its own, so systemd's cgroup namespace root is
  // that folder (and not the root of this machine's tree). Should the test process die before
  // stop(), the namespace still ends after lifetimeSec (unshare killed -> its child, PID 1, too).
  const outer = `mkdir "${cg}" && echo $$ > "${cg}/cgroup.procs" && exec timeout -s KILL ${lifetimeSec} unshare --kill-child=SIGKILL -m -p -n -C -f --mount-proc --propagation private "${boot}" "${pkgDir}"`
  const log: string[] = []
  const child: ChildProcess = spawn('sh', ['-c', outer], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH } })
  child.stdout!.on('data', (d) => log.push(String(d)))
  child.stderr!.on('data', (d) => log.push(String(d)))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))

  /** Host PIDs of the processes below `root` named `comm` (sh -> timeout -> unshare -> systemd). */
  const find = (comm: string, root = child.pid!): number[] => {
    let kids: string[] = []
    try {
      kids = readFileSync(`/proc/${root}/task/${root}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)
    } catch {}
    return kids.flatMap((k) => {
      let name = ''
      try {
        name = readFileSync(`/proc/${k}/comm`, 'utf8').trim()
      } catch {}
      return [...(name === comm ? [Number(k)] : []), ...find(comm, Number(k))]
    })
  }
  let pid = 0
  const stop = async () => {
    // unshare --kill-child: when unshare dies its child (PID 1 inside) gets SIGKILL, and with it
    // every process of the namespace.
    for (const p of [...find('unshare'), ...(pid ? [pid] : [])]) {
      try {
        process.kill(p, 'SIGKILL')
      } catch {}
    }
    if (child.exitCode === null) await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
    // Killed processes leave their (empty) cgroup folders: remove them deepest first.
    const remove = (dir: string) => {
      if (!existsSync(dir)) return
      for (const e of readdirSync(dir)) {
        const sub = path.join(dir, e)
        if (statSync(sub).isDirectory()) remove(sub)
      }
      for (let i = 0; i < 50; i++) {
        try {
          return rmdirSync(dir)
        } catch {
          spawnSync('sleep', ['0.1'])
        }
      }
    }
    remove(cg)
  }

  const deadline = Date.now() + 30_000
  while (!pid && Date.now() < deadline) {
    if (child.exitCode !== null) break
    pid = find('systemd')[0] ?? 0
    if (!pid) await new Promise((r) => setTimeout(r, 100))
  }
  if (!pid) {
    await stop()
    throw new Error(`systemd did not start: ${log.join('')}`)
  }

  const run: SystemdNs['run'] = (argv, opts = {}) =>
    spawnSync('nsenter', ['-t', String(pid), '-m', '-p', '-n', '--wd=/', 'env', '-i', `PATH=${PATH}`, 'LANG=C.UTF-8', ...argv], {
      encoding: 'utf8',
      timeout: opts.timeout ?? 60_000,
      input: opts.input,
      maxBuffer: 64 * 1024 * 1024,
    })
  const sh: SystemdNs['sh'] = (script, opts) => {
    const res = run(['sh', '-c', script], opts)
    if (res.status !== 0) throw new Error(`inside systemd namespace: ${script}\nstatus ${res.status} ${res.error ?? ''}\n${res.stdout}\n${res.stderr}`)
    return res.stdout
  }
  // Until systemd has opened its socket, systemctl cannot connect; in the first moments after the
  // exec it may also answer `offline` (PID 1 not yet the manager it can talk to): ask again.
  const early = (r: { stdout: string; stderr: string }) => /connect to bus/.test(r.stderr) || /^offline/m.test(r.stdout)
  let ready = run(['systemctl', 'is-system-running', '--wait'], { timeout: 60_000 })
  while (!/running|degraded/.test(ready.stdout) && early(ready) && Date.now() < deadline + 30_000) {
    await new Promise((r) => setTimeout(r, 200))
    ready = run(['systemctl', 'is-system-running', '--wait'], { timeout: 60_000 })
  }
  if (!/running|degraded/.test(ready.stdout)) {
    const why = run(['systemctl', '--failed', '--no-pager']).stdout
    await stop()
    throw new Error(`systemd did not come up: ${ready.stdout} ${ready.stderr}\n${why}\n${log.join('')}`)
  }
  return { pid, run, sh, stop }
}
