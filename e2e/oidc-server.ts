import type { Server } from "node:http";
import Provider from "oidc-provider";

// The package ships no types (e2e/oidc-provider.d.ts declares it); the few fields used are typed here.
interface OidcCtx {
  oidc: {
    client?: { clientId: string };
    result?: { consent?: { grantId?: string } };
    session?: { accountId: string; grantIdFor(clientId: string): string | undefined };
    provider: { Grant: { new (init: { clientId: string; accountId: string }): { addOIDCScope(s: string): void; save(): Promise<string> }; find(id: string): Promise<unknown> } };
  };
}

// A real OpenID Provider for the end-to-end tests (the `oidc-provider` package: discovery,
// authorization code + PKCE, signed ID tokens). Its development login form accepts any login
// and password; the login is used as the account id and the email claim.

export const OIDC_CLIENT = { id: "wakeboard-e2e", secret: "wakeboard-e2e-secret-0123456789" };

export async function startOidcServer(opts: { port: number; redirectUri: string }): Promise<{ issuer: string; close(): Promise<void> }> {
  const issuer = `http://127.0.0.1:${opts.port}`;
  const configuration = {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: [opts.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    // Put the scope's claims in the ID token, as Google, Okta and Entra ID do.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(_ctx: OidcCtx, id: string) {
      return {
        accountId: id,
        async claims() {
          return { sub: id, email: id, email_verified: true, name: id.split("@")[0].replace(/[._]/g, " ") };
        },
      };
    },
    // First-party client: no consent screen.
    async loadExistingGrant(ctx: OidcCtx) {
      const clientId = ctx.oidc.client!.clientId;
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId, accountId: ctx.oidc.session!.accountId });
      grant.addOIDCScope("openid email profile");
      await grant.save();
      return grant;
    },
  };
  const provider = new Provider(issuer, configuration);
  const server: Server = await new Promise((resolve, reject) => {
    const s = provider.listen(opts.port, "127.0.0.1", () => resolve(s));
    s.on("error", reject);
  });
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
