/**
 * Provider configuration per Terraform client. Each Terraform process (and each provider
 * configuration inside it) talks over its own gRPC connection, so the connection's peer
 * address identifies whose configuration a call belongs to. This is what keeps two runs that
 * share one reattached provider from seeing each other's settings.
 */
export class SessionStore<C> {
  private readonly sessions = new Map<string, C>();

  /** @param limit how many configurations to keep; the oldest is dropped beyond it */
  constructor(private readonly limit = 1024) {}

  set(peer: string, client: C): void {
    this.sessions.delete(peer);
    this.sessions.set(peer, client);
    if (this.sessions.size > this.limit) {
      const oldest = this.sessions.keys().next();
      if (!oldest.done) this.sessions.delete(oldest.value);
    }
  }

  get(peer: string): C | undefined {
    return this.sessions.get(peer);
  }

  has(peer: string): boolean {
    return this.sessions.has(peer);
  }
}
