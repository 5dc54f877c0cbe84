import bcrypt from "bcryptjs";

/**
 * bcrypt (bcryptjs: pure JavaScript, no native build, so the image stays scratch-friendly).
 * Hashes are `$2b$<cost>$...` and verify with any bcrypt library. bcrypt reads at most 72 bytes,
 * so longer passwords are refused at validation rather than silently truncated.
 */
export const PASSWORD_MAX_BYTES = 72;

export function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(password, cost);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}
