import { fork } from 'node:child_process';
import path from 'node:path';

/** A task run in a fresh `node --expose-gc` process, so memory and timings start clean. */
export interface ChildTask {
  task: string;
  args: unknown;
}

type Reply = { ok: true; result: unknown } | { ok: false; error: string };

export function runChild<T>(task: ChildTask, options: { timeoutMs?: number; maxOldSpaceMb?: number } = {}): Promise<T> {
  const execArgv = ['--expose-gc', ...(options.maxOldSpaceMb ? [`--max-old-space-size=${options.maxOldSpaceMb}`] : [])];
  const child = fork(path.join(__dirname, 'child.js'), [JSON.stringify(task)], {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise<T>((resolve, reject) => {
    let reply: Reply | undefined;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`child task ${task.task} took longer than ${options.timeoutMs} ms`));
    }, options.timeoutMs ?? 1_800_000);
    child.on('message', (message) => {
      reply = message as Reply;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (reply?.ok) resolve(reply.result as T);
      else reject(new Error(`child task ${task.task} failed: ${reply && !reply.ok ? reply.error : `exit ${code ?? signal}`}`));
    });
  });
}
