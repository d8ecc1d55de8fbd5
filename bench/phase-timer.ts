import { performance } from 'node:perf_hooks';

/** Total milliseconds and calls of one timed method. */
export interface PhaseTime {
	ms: number;
	calls: number;
}

/**
 * Sums the time spent in methods of the services a sync calls. Calls that overlap (blob reads run
 * eight at a time, and wait while the event loop chunks) are summed, so a phase can exceed the
 * wall time.
 */
export class PhaseTimer {
	readonly phases = new Map<string, PhaseTime>();

	/** A proxy of `target` whose listed methods (sync or async) add their time to `label.method`. */
	wrap<T extends object>(target: T, label: string, methods: string[]): T {
		const timer = this;
		return new Proxy(target, {
			get(object, property, receiver) {
				const value = Reflect.get(object, property, receiver);
				if (typeof value !== 'function') return value;
				if (typeof property !== 'string' || !methods.includes(property)) return value.bind(object);
				return (...args: unknown[]) => {
					const started = performance.now();
					const result = value.apply(object, args);
					const done = () => timer.add(`${label}.${property}`, performance.now() - started);
					if (result instanceof Promise) return result.finally(done);
					done();
					return result;
				};
			},
		});
	}

	/** Adds one measured call. */
	add(phase: string, ms: number): void {
		const time = this.phases.get(phase) ?? { ms: 0, calls: 0 };
		time.ms += ms;
		time.calls += 1;
		this.phases.set(phase, time);
	}

	/** Phases by descending time, milliseconds rounded. */
	summary(): Record<string, PhaseTime> {
		const sorted = [...this.phases].sort((a, b) => b[1].ms - a[1].ms);
		return Object.fromEntries(
			sorted.map(([phase, time]) => [phase, { ms: Math.round(time.ms), calls: time.calls }]),
		);
	}
}
