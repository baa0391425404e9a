// Toasts: short confirmations and failures that do not block the page.
import type { ToastView } from '../components/ui/toast';
import { createStore } from './store';

export const toastStore = createStore<ToastView[]>([]);

let nextId = 1;
const timers = new Map<number, ReturnType<typeof setTimeout>>();

export function dismissToast(id: number): void {
  const t = timers.get(id);
  if (t) clearTimeout(t);
  timers.delete(id);
  toastStore.set((list) => list.filter((x) => x.id !== id));
}

export function toast(t: Omit<ToastView, 'id'>, ms?: number): number {
  const id = nextId++;
  toastStore.set((list) => [...list.slice(-3), { ...t, id }]);
  const life = ms ?? (t.tone === 'error' ? 8000 : t.action ? 8000 : 4500);
  timers.set(
    id,
    setTimeout(() => dismissToast(id), life),
  );
  return id;
}

export const toastSuccess = (title: string, message?: string, action?: ToastView['action']) => toast({ tone: 'success', title, message, action });
export const toastError = (title: string, message?: string) => toast({ tone: 'error', title, message });
export const toastInfo = (title: string, message?: string) => toast({ tone: 'info', title, message });
