import { GitRepo } from './git-repo';

/** Files of a small shop: `checkout.ts` calls `charge` (shop.ts), `fees.ts` defines `applyFee`. */
export const SHOP_FILES: Record<string, string> = {
	'src/fees.ts': 'export function applyFee(amount: number): number {\n\treturn Math.round(amount * 1.02);\n}\n',
	'src/shop.ts': "import { total } from './cart';\n\nexport function charge(amount: number): number {\n\treturn amount * 2;\n}\n\nexport function basket(items: number[]): number {\n\treturn charge(total(items));\n}\n",
	'src/cart.ts': 'export function total(items: number[]): number {\n\treturn items.reduce((sum, item) => sum + item, 0);\n}\n',
	'src/checkout.ts': "import { charge } from './shop';\n\nexport function pay(amount: number): string {\n\tconst paid = charge(amount);\n\treturn `paid ${paid}`;\n}\n",
	'README.md': '# Shop\n\nCharges, fees and checkout.\n',
};

/** The pull request's change to shop.ts: charge takes a fee through applyFee (checkout.ts, unchanged, still calls it). */
export const SHOP_CHANGE = "import { total } from './cart';\nimport { applyFee } from './fees';\n\nexport function charge(amount: number, withFee = true): number {\n\tconst doubled = amount * 2;\n\treturn withFee ? applyFee(doubled) : doubled;\n}\n\nexport function basket(items: number[]): number {\n\treturn charge(total(items));\n}\n";

/** A repository with `main` (the shop) and a `feature` branch that changes `charge`; HEAD stays on main. */
export async function makeShopRepository(): Promise<{ repo: GitRepo; base: string; head: string }> {
	const repo = await GitRepo.create({ prefix: 'repomind-shop-' });
	await repo.writeFiles(SHOP_FILES);
	const base = await repo.commit('shop');
	await repo.branch('feature', { checkout: true });
	await repo.writeFiles({ 'src/shop.ts': SHOP_CHANGE });
	const head = await repo.commit('charge applies the fee');
	await repo.checkout('main');
	return { repo, base, head };
}
