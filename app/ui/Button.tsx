import type { ButtonHTMLAttributes } from 'react';

type Variant = 'primary' | 'secondary';

const VARIANTS: Record<Variant, string> = {
  primary: 'bg-accent text-white shadow-sm shadow-black/30 hover:bg-accent-hover disabled:bg-accent/20 disabled:text-white/45 disabled:shadow-none',
  secondary: 'border border-line bg-raised text-ink-muted hover:border-line-strong hover:text-ink disabled:bg-transparent disabled:text-ink-faint disabled:hover:border-line',
};

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
}

/** The app's one button. Icons passed as children should be `aria-hidden` so the label is the name. */
export function Button({ variant = 'secondary', className = '', type = 'button', ...rest }: ButtonProps) {
  return (
    <button
      type={type}
      className={`inline-flex h-8 items-center justify-center gap-1.5 rounded-md px-3 text-[13px] font-medium transition-colors disabled:cursor-not-allowed ${VARIANTS[variant]} ${className}`}
      {...rest}
    />
  );
}
