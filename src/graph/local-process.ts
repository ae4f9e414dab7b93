/** Whether the process behind a lock owner `host:pid:...` still runs (only meaningful on the same host). */
export function pidAlive(owner: string): boolean {
  const pid = Number(owner.split(':')[1]);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
