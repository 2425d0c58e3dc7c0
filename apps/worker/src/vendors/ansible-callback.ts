/**
 * Gantry's JSON callback plugin for ansible-playbook, as Python source the adapter writes into
 * each run's directory (kept in a TypeScript string so bundled workers carry it).
 */
export const GANTRY_JSON_CALLBACK = String.raw`# Gantry's JSON callback for ansible-playbook: records every task result per host (action, module
# arguments, changed, diff) and the per-host stats, and writes them as one JSON document to the
# file named by GANTRY_ANSIBLE_RESULT when the playbook ends. The human log is left to the
# default stdout callback. Results of no_log tasks arrive censored by ansible itself.
import json
import os

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'gantry_json'
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self):
        super(CallbackModule, self).__init__()
        self.plays = []
        self.tasks = {}

    def v2_playbook_on_play_start(self, play):
        self.plays.append({'play': {'name': play.get_name(), 'id': str(play._uuid)}, 'tasks': []})

    def _task_start(self, task):
        entry = {'task': {'name': task.get_name(), 'id': str(task._uuid), 'action': task.action}, 'hosts': {}}
        self.tasks[str(task._uuid)] = entry
        if self.plays:
            self.plays[-1]['tasks'].append(entry)

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._task_start(task)

    def v2_playbook_on_handler_task_start(self, task):
        self._task_start(task)

    def _record(self, result, status):
        entry = self.tasks.get(str(result._task._uuid))
        if entry is None:
            return
        raw = dict(result._result)
        out = {k: v for k, v in raw.items() if not k.startswith('_ansible') and k not in ('stdout_lines', 'stderr_lines')}
        out['status'] = status
        out['action'] = result._task.action
        invocation = raw.get('invocation') or {}
        out['args'] = invocation.get('module_args', result._task.args)
        entry['hosts'][result._host.get_name()] = out

    def v2_runner_on_ok(self, result):
        self._record(result, 'ok')

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record(result, 'failed')

    def v2_runner_on_skipped(self, result):
        self._record(result, 'skipped')

    def v2_runner_on_unreachable(self, result):
        self._record(result, 'unreachable')

    def v2_playbook_on_stats(self, stats):
        hosts = sorted(stats.processed.keys())
        doc = {'plays': self.plays, 'stats': dict((h, stats.summarize(h)) for h in hosts)}
        # ansible's own aggregate stats, as Spacelift's input.ansible carries them: one map per
        # counter (processed, ok, changed, dark = unreachable, failures, ...), host -> count, with
        # only the hosts that counted; custom holds set_stats data ('_run' when not per host).
        for key in ('processed', 'failures', 'ok', 'dark', 'changed', 'skipped', 'rescued', 'ignored', 'custom'):
            doc[key] = dict(getattr(stats, key, None) or {})
        path = os.environ.get('GANTRY_ANSIBLE_RESULT')
        if path:
            with open(path, 'w') as f:
                json.dump(doc, f, default=str)
`;
