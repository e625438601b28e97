/** Malformed registries: each case asserts the exact located messages, and that nothing valid comes out. */
import { describe, expect, it } from 'vitest';
import { parseRegistry } from '@shared/model';
import { binaryService, issuesOf } from '../../support/registry-text';

const ok = binaryService('orchestrator', 'order = 10');

const cases: [string, string, string[]][] = [
  ['TOML syntax error', 'services = \n', ['services.toml:1:12 invalid TOML: invalid value']],
  ['unterminated string', '[services.a]\ndescription = "oops\n', ['services.toml:2:20 invalid TOML: control characters are not allowed in strings']],
  [
    'no services table',
    'title = "x"\n',
    ['services.toml:1:1 title: unknown key', 'services.toml:1:1 services: required: one [services.<name>] table per service'],
  ],
  ['services is not a table', 'services = 3\n', ['services.toml:1:1 services: expected a table of services']],
  ['top-level typo', `servics = {}\n${ok}`, ["services.toml:1:1 servics: unknown key (did you mean 'services'?)"]],
  [
    'bad service name',
    binaryService('Web_UI'),
    ['services.toml:1:1 services.Web_UI: a service name is lowercase letters, digits and dashes, starts with a letter, at most 63 characters'],
  ],
  ['service is not a table', 'services.a = 5\n', ['services.toml:1:1 services.a: expected a table, got 5']],
  ['missing deployment', '[services.a]\norder = 1\n', ['services.toml:1:1 services.a.deployment: required']],
  [
    'unknown mode with typo',
    '[services.a]\ndeployment = { mode = "dokcer" }\n',
    [
      'services.toml:2:16 services.a.deployment.mode: must be one of "binary", "docker", "docker-compose", "kubernetes", "remote"; got "dokcer" (did you mean \'docker\'?)',
    ],
  ],
  [
    'mode without its sub-table',
    '[services.a]\n[services.a.deployment]\nmode = "docker"\n',
    ['services.toml:2:1 services.a.deployment.docker: required when mode = "docker"'],
  ],
  [
    'docker image missing',
    '[services.g]\n[services.g.deployment]\nmode = "docker"\n\n[services.g.deployment.docker]\nports = ["3000:3000"]\n',
    ['services.toml:5:1 services.g.deployment.docker: needs `image` (the image to run) or `build` (how to build it)'],
  ],
  [
    'bad docker port mapping',
    '[services.g.deployment]\nmode = "docker"\ndocker = { image = "x", ports = ["3000:abc"] }\n',
    ['services.toml:3:34 services.g.deployment.docker.ports[0]: a port mapping such as "8080", "8054:8080" or "127.0.0.1:5353:53/udp"'],
  ],
  [
    'binary command empty',
    '[services.a.deployment]\nmode = "binary"\nbinary = { command = "" }\n',
    ['services.toml:3:12 services.a.deployment.binary.command: must not be empty'],
  ],
  [
    'binary args not strings',
    '[services.a.deployment]\nmode = "binary"\nbinary = { command = "x", args = ["--port", 8080] }\n',
    ['services.toml:3:45 services.a.deployment.binary.args[1]: expected a string, got 8080'],
  ],
  [
    'env value neither string nor reference',
    '[services.a.deployment]\nmode = "binary"\nbinary = { command = "x", env = { TOKEN = 42 } }\n',
    ['services.toml:3:35 services.a.deployment.binary.env.TOKEN: expected a string or an env reference { env = "NAME" }'],
  ],
  [
    'remote token written literally',
    '[services.r.deployment]\nmode = "remote"\nremote = { url = "https://x", token = "s3cret" }\n',
    [
      'services.toml:3:31 services.r.deployment.remote.token: must be an env reference { env = "NAME" }: secrets are read from the environment, never written here',
    ],
  ],
  [
    'remote url not http',
    '[services.r.deployment]\nmode = "remote"\nremote = { url = "ftp://x" }\n',
    ['services.toml:3:12 services.r.deployment.remote.url: an http:// or https:// URL'],
  ],
  [
    'kubernetes without manifests or helm',
    '[services.k.deployment]\nmode = "kubernetes"\nkubernetes = { namespace = "dev" }\n',
    ['services.toml:3:1 services.k.deployment.kubernetes: needs `manifests`, `inline` manifests or a `helm` chart'],
  ],
  [
    'unknown key with typo',
    `${binaryService('a', 'dependecies = []')}`,
    ["services.toml:2:1 services.a.dependecies: unknown key (did you mean 'dependencies'?)"],
  ],
  ['order is a string', binaryService('a', 'order = "10"'), ['services.toml:2:1 services.a.order: expected a number, got a string']],
  ['order is negative', binaryService('a', 'order = -1'), ['services.toml:2:1 services.a.order: must be at least 0, got -1']],
  ['auto_start is a string', binaryService('a', 'auto_start = "yes"'), ['services.toml:2:1 services.a.auto_start: expected true or false, got a string']],
  [
    'unknown dependency with typo',
    `${ok}${binaryService('ui', 'dependencies = ["orchestrater"]')}`,
    ["services.toml:7:17 services.ui.dependencies[0]: unknown service 'orchestrater' (did you mean 'orchestrator'?)"],
  ],
  ['self dependency', binaryService('a', 'dependencies = ["a"]'), ['services.toml:2:17 services.a.dependencies[0]: a service cannot depend on itself']],
  [
    'dependency listed twice',
    `${ok}${binaryService('ui', 'dependencies = ["orchestrator", "orchestrator"]')}`,
    ["services.toml:7:33 services.ui.dependencies[1]: 'orchestrator' is listed twice"],
  ],
  [
    'completed condition on a service that is not a task',
    `${ok}${binaryService('ui', 'dependencies = [{ name = "orchestrator", condition = "completed" }]')}`,
    [
      `services.toml:7:42 services.ui.dependencies[0].condition: 'orchestrator' is not a task (kind = "task"), so it never completes; use "healthy" or "started", or make it a task`,
    ],
  ],
  [
    'unknown dependency condition',
    `${ok}${binaryService('ui', 'dependencies = [{ name = "orchestrator", condition = "ready" }]')}`,
    ['services.toml:7:42 services.ui.dependencies[0].condition: must be one of "started", "healthy", "completed"; got "ready"'],
  ],
  [
    'unknown service in a dependency table',
    `${ok}${binaryService('ui', 'dependencies = [{ name = "orchestrater" }]')}`,
    ["services.toml:7:19 services.ui.dependencies[0].name: unknown service 'orchestrater' (did you mean 'orchestrator'?)"],
  ],
  ['unknown kind', binaryService('a', 'kind = "job"'), ['services.toml:2:1 services.a.kind: must be one of "service", "task"; got "job"']],
  [
    'two-service cycle',
    `${binaryService('a', 'dependencies = ["b"]')}${binaryService('b', 'dependencies = ["a"]')}`,
    ['services.toml:2:17 services.a.dependencies[0]: dependency cycle: a → b → a'],
  ],
  [
    'three-service cycle reported once',
    `${binaryService('a', 'dependencies = ["c"]')}${binaryService('b', 'dependencies = ["a"]')}${binaryService('c', 'dependencies = ["b"]')}`,
    ['services.toml:2:17 services.a.dependencies[0]: dependency cycle: a → c → b → a'],
  ],
  ['conflict with itself', binaryService('a', 'conflicts = ["a"]'), ['services.toml:2:14 services.a.conflicts[0]: a service cannot conflict with itself']],
  [
    'conflict with a dependency',
    `${ok}${binaryService('ui', 'dependencies = ["orchestrator"]\nconflicts = ["orchestrator"]')}`,
    ["services.toml:8:14 services.ui.conflicts[0]: conflicts with 'orchestrator', which it depends on"],
  ],
  [
    'conflicting auto-start services',
    `${binaryService('a', 'auto_start = true\nconflicts = ["b"]')}${binaryService('b', 'auto_start = true')}`,
    ["services.toml:3:14 services.a.conflicts[0]: conflicts with 'b', but both have auto_start = true"],
  ],
  [
    'duplicate port',
    `${binaryService('a', 'ports = [8080]')}${binaryService('b', 'ports = [9090, 8080]')}`,
    ["services.toml:7:16 services.b.ports[1]: port 8080/tcp is also used by 'a' (services.a.ports[0])"],
  ],
  [
    'docker port clashes with a binary port',
    `${binaryService('a', 'ports = [3000]')}[services.g.deployment]\nmode = "docker"\ndocker = { image = "x", ports = ["3000:3000"] }\n`,
    ["services.toml:8:34 services.g.deployment.docker.ports[0]: port 3000/tcp is also used by 'a' (services.a.ports[0])"],
  ],
  ['port is text', binaryService('a', 'ports = ["http"]'), ['services.toml:2:10 services.a.ports[0]: a port such as 8080 or "5353/udp"']],
  [
    'port neither number nor text',
    binaryService('a', 'ports = [true]'),
    ['services.toml:2:10 services.a.ports[0]: expected a port number (8080) or "5353/udp"'],
  ],
  ['port out of range', binaryService('a', 'ports = [70000]'), ['services.toml:2:10 services.a.ports[0]: must be at most 65535, got 70000']],
  [
    'bad duration',
    `${ok}[services.orchestrator.health_check]\ntype = "tcp"\ninterval = "10 seconds"\ntcp = { port = 1 }\n`,
    ['services.toml:8:1 services.orchestrator.health_check.interval: a duration is a number with a unit: ms, s, m or h (e.g. "250ms", "5s", "1m30s")'],
  ],
  [
    'health type without its sub-table',
    `${ok}[services.orchestrator.health_check]\ntype = "http"\n`,
    ['services.toml:6:1 services.orchestrator.health_check.http: required when type = "http"'],
  ],
  [
    'unknown health type',
    `${ok}[services.orchestrator.health_check]\ntype = "grpc"\n`,
    ['services.toml:7:1 services.orchestrator.health_check.type: must be one of "http", "tcp", "command", "file"; got "grpc"'],
  ],
  [
    'http status out of range',
    `${ok}[services.orchestrator.health_check]\ntype = "http"\nhttp = { url = "http://x/", expected_status = 700 }\n`,
    ['services.toml:8:29 services.orchestrator.health_check.http.expected_status: must be at most 599, got 700'],
  ],
  [
    'tcp port missing',
    `${ok}[services.orchestrator.health_check]\ntype = "tcp"\ntcp = { host = "localhost" }\n`,
    ['services.toml:8:1 services.orchestrator.health_check.tcp.port: required'],
  ],
  [
    'negative retries',
    `${ok}[services.orchestrator.health_check]\ntype = "file"\nretries = -2\nfile = { path = "/tmp/x" }\n`,
    ['services.toml:8:1 services.orchestrator.health_check.retries: must be at least 0, got -2'],
  ],
  [
    'restart policy typo',
    `${ok}[services.orchestrator.startup]\nrestart = "on-failur"\n`,
    ['services.toml:7:1 services.orchestrator.startup.restart: must be one of "no", "on-failure", "always"; got "on-failur" (did you mean \'on-failure\'?)'],
  ],
  [
    'memory limit unreadable',
    `${ok}[services.orchestrator.resources]\nmemory = "lots"\n`,
    ['services.toml:7:1 services.orchestrator.resources.memory: a size such as "512Mi", "1Gi" or "256M"'],
  ],
  [
    'unknown placeholder',
    '[services.a.deployment]\nmode = "binary"\nbinary = { command = "${hom}/bin/a" }\n',
    ["services.toml:3:12 services.a.deployment.binary.command: unknown placeholder ${hom}; known: ${home}, ${registry_dir} (did you mean 'home'?)"],
  ],
  ['port text out of range', binaryService('a', 'ports = ["99999/tcp"]'), ['services.toml:2:10 services.a.ports[0]: ports are 1 to 65535']],
  [
    'docker port out of range',
    '[services.g.deployment]\nmode = "docker"\ndocker = { image = "x", ports = ["1.2.3.4:70000:80"] }\n',
    ['services.toml:3:34 services.g.deployment.docker.ports[0]: ports are 1 to 65535'],
  ],
  [
    'port listed twice in one service',
    binaryService('a', 'ports = [8080, "8080/tcp"]'),
    ['services.toml:2:16 services.a.ports[1]: port 8080/tcp is listed twice'],
  ],
  [
    'a clash behind a shared conflict',
    `${binaryService('a', 'ports = [8080]')}${binaryService('b', 'ports = [8080]\nconflicts = ["a"]')}${binaryService('c', 'ports = [8080]\nconflicts = ["a"]')}`,
    ["services.toml:13:10 services.c.ports[0]: port 8080/tcp is also used by 'b' (services.b.ports[0])"],
  ],
  [
    'conflict declared by a dependency',
    `${binaryService('b', 'dependencies = ["c"]')}${binaryService('c', 'conflicts = ["b"]')}`,
    ["services.toml:7:14 services.c.conflicts[0]: conflicts with 'b', which depends on it"],
  ],
  [
    'cycle reported while a member has another error',
    `${binaryService('a', 'dependencies = ["b"]')}${binaryService('b', 'dependencies = ["a"]\nports = [0]')}`,
    ['services.toml:2:17 services.a.dependencies[0]: dependency cycle: a → b → a', 'services.toml:8:10 services.b.ports[0]: must be at least 1, got 0'],
  ],
  [
    'bad environment variable name',
    '[services.a.deployment]\nmode = "binary"\nbinary = { command = "x", env = { "bad key" = "v" } }\n',
    ['services.toml:3:35 services.a.deployment.binary.env."bad key": an environment variable name'],
  ],
  ['missing mode', '[services.a.deployment]\ndocker = { image = "x" }\n', ['services.toml:1:1 services.a.deployment.mode: required']],
  [
    'zero interval',
    `${ok}[services.orchestrator.health_check]\ntype = "tcp"\ninterval = "0s"\ntcp = { port = 1 }\n`,
    ['services.toml:8:1 services.orchestrator.health_check.interval: must be longer than 0'],
  ],
  [
    'a TOML 1.1 escape in a quoted key',
    '[services.a]\ndeployment = { mode = "binary", binary = { command = "x" } }\n"\\x41" = 1\n',
    ['services.toml:3:1 services.a.A: unknown key'],
  ],
  [
    'a date where a string belongs',
    binaryService('a', 'description = 2024-01-01'),
    ['services.toml:2:1 services.a.description: expected a string, got a date'],
  ],
];

describe('malformed registries', () => {
  it.each(cases)('%s', (_name, text, expected) => {
    expect(issuesOf(text)).toEqual(expected);
    expect(parseRegistry(text, 'services.toml').registry).toBeUndefined();
  });

  it('reports every error of a file at once, in file order', () => {
    const text = [binaryService('a', 'order = "x"'), binaryService('b', 'dependencies = ["nope"]'), '[services.c]\ndeployment = { mode = "docker" }\n'].join(
      '',
    );
    expect(issuesOf(text)).toEqual([
      'services.toml:2:1 services.a.order: expected a number, got a string',
      "services.toml:7:17 services.b.dependencies[0]: unknown service 'nope'",
      'services.toml:12:1 services.c.deployment.docker: required when mode = "docker"',
    ]);
  });

  it('keeps warnings apart from errors: the registry is still usable', () => {
    const text = `${binaryService('a', 'order = 5\ndependencies = ["b"]')}${binaryService('b', 'order = 9')}[services.b.health_check]\ntype = "tcp"\ninterval = "1s"\ntimeout = "2s"\ntcp = { port = 1 }\n`;
    const result = parseRegistry(text, 'services.toml');
    expect(result.registry?.services.map((s) => s.name)).toEqual(['a', 'b']);
    expect(issuesOf(text)).toEqual([
      "services.toml:2:1 services.a.order: warning: 5 is lower than the order of its dependency 'b' (9); dependencies always start first",
      'services.toml:15:1 services.b.health_check.timeout: warning: 2s is longer than the interval 1s',
    ]);
  });
});
