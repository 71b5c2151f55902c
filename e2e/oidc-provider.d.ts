// oidc-provider ships JavaScript only; e2e/oidc-server.ts types the parts it uses.
declare module "oidc-provider";
