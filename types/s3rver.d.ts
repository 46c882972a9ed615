// s3rver 3 ships no type declarations; local/s3-local.ts narrows the module to what it uses.
declare module "s3rver";
