/**
 * The values of env references each service was last given by the client that started it, kept in
 * memory only: never written to the home, logged, or sent in an event. A restart by its policy, a
 * dependency's recovery or `platform update` without new values uses them; after a manager restart
 * a service has none until a client starts it again (its restart then fails and says so). A name
 * the client did not give reads the service's env files (`env_files`), as Compose reads `.env`
 * after the shell: so a service started at login, with no shell, still has its values.
 */
import type { ClientEnv } from '@shared/contract/client-env';
import type { ServiceDefinition } from '@shared/model';
import { envReferenceNames } from '../drivers/env-references';

type Env = Readonly<Record<string, string | undefined>>;

interface View {
  readonly names: readonly string[];
  /** What its env files set, for the names no client gave. */
  readonly fallback: Env;
  /** Only the referenced names that were given: what the service's context reads as `given`. */
  readonly values: Record<string, string>;
}

export class GivenEnvironments {
  readonly #given = new Map<string, ClientEnv>();
  readonly #views = new Map<string, View>();

  /**
   * What a service's env references read: the values given for them, nothing else. Live: a later
   * `give` changes it (so it is given only when a launch happens, never under a running check).
   * `initial` is taken when nothing was given for it yet (an owner that is its own client).
   */
  environment(service: ServiceDefinition, initial?: Env): Readonly<Record<string, string>> {
    const view: View = { names: envReferenceNames(service), fallback: service.fromEnvFiles?.values ?? {}, values: {} };
    this.#views.set(service.name, view);
    const given = this.#given.get(service.name);
    if (given) this.#fill(view, given);
    else if (initial) this.give(service.name, initial);
    else this.#fill(view, {});
    return view.values;
  }

  /** The values it would have with `clientEnv`'s (a readiness question), keeping nothing. */
  preview(service: ServiceDefinition, clientEnv: Env): Readonly<Record<string, string>> {
    return { ...picked(envReferenceNames(service), service.fromEnvFiles?.values ?? {}), ...picked(envReferenceNames(service), clientEnv) };
  }

  /** A client launches the service from its environment: its values replace those given before. */
  give(service: string, clientEnv: Env): void {
    const view = this.#views.get(service);
    if (!view) return;
    const values = picked(view.names, clientEnv);
    this.#given.set(service, values);
    this.#fill(view, values);
  }

  #fill(view: View, values: ClientEnv): void {
    for (const name of view.names) {
      if (Object.hasOwn(values, name)) view.values[name] = values[name]!;
      else if (Object.hasOwn(view.fallback, name) && view.fallback[name] !== undefined) view.values[name] = view.fallback[name];
      else delete view.values[name];
    }
  }
}

/** The values of `names` that `env` sets. */
function picked(names: readonly string[], env: Env): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}
