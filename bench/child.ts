import type { ChildTask } from './childProcess';
import { measureInProcess, type InProcessArgs } from './inProcess';
import { measureIdleStages } from './idleMemoryStages';
import { probeLoad } from './loadProbe';
import { populate } from './populate';
import type { Backend } from './databases';

/** Entry of every child process the bench forks: one task, its result sent back over IPC. */
async function run(task: ChildTask): Promise<unknown> {
  switch (task.task) {
    case 'load':
      return probeLoad(task.args as { backend: Backend });
    case 'populate':
      return populate(task.args as { size: number; backend: Backend });
    case 'idleStages':
      return measureIdleStages(task.args as { backend: Backend });
    case 'inProcess':
      return measureInProcess(task.args as InProcessArgs);
    default:
      throw new Error(`unknown task ${task.task}`);
  }
}

const task = JSON.parse(process.argv[2]) as ChildTask;
run(task).then(
  (result) => process.send!({ ok: true, result }, () => process.exit(0)),
  (err: unknown) => {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    process.send!({ ok: false, error }, () => process.exit(1));
  },
);
