/**
 * The values of env references each service was last given by the client that started it, kept in
 * memory only: never written to the home, logged, or sent in an event. A restart by its policy, a
 * dependency's recovery or `platform update` without new values uses them; after a manager restart
 * a service has none until a client starts it again (its restart then fails and says so).
 */
import type { ServiceDefinition } from '@shared/model';
import { envReferenceNames } from '../drivers/env-references';

type Env = Readonly<Record<string, string | undefined>>;

/** Variable name → value, as a client sends them (see `referencedEnv`). */
export type ClientEnv = Readonly<Record<string, string>>;

interface View {
  readonly names: readonly string[];
  readonly env: Record<string, string | undefined>;
}

export class GivenEnvironments {
  readonly #given = new Map<string, ClientEnv>();
  readonly #views = new Map<string, View>();

  /**
   * The environment a service's context reads — the owner's, with every name the service references
   * replaced by the value given for it, or removed when none was. Live: a later `give` changes it.
   * `initial` is taken when nothing was given for it yet (an owner that is its own client).
   */
  environment(service: ServiceDefinition, ownerEnv: Env, initial?: Env): Env {
    const view: View = { names: envReferenceNames(service), env: { ...ownerEnv } };
    this.#views.set(service.name, view);
    const given = this.#given.get(service.name);
    if (given) this.#fill(view, given);
    else if (initial) this.give(service.name, initial);
    else this.#fill(view, {});
    return view.env;
  }

  /** The environment it would have with `clientEnv`'s values (a readiness question), keeping nothing. */
  preview(service: ServiceDefinition, ownerEnv: Env, clientEnv: Env): Env {
    const view: View = { names: envReferenceNames(service), env: { ...ownerEnv } };
    this.#fill(view, picked(view.names, clientEnv));
    return view.env;
  }

  /** A client starts the service from its environment: its values replace those given before. */
  give(service: string, clientEnv: Env): void {
    const view = this.#views.get(service);
    if (!view) return;
    const values = picked(view.names, clientEnv);
    this.#given.set(service, values);
    this.#fill(view, values);
  }

  #fill(view: View, values: ClientEnv): void {
    for (const name of view.names) {
      if (Object.hasOwn(values, name)) view.env[name] = values[name];
      else delete view.env[name];
    }
  }
}

/** The values of `names` that `env` sets. */
function picked(names: readonly string[], env: Env): ClientEnv {
  const values: Record<string, string> = {};
  for (const name of names) {
    const value = Object.hasOwn(env, name) ? env[name] : undefined;
    if (typeof value === 'string') values[name] = value;
  }
  return values;
}
