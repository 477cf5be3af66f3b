import { DEFAULT_WIDGET_TEXTS, type WidgetTextKey } from '@allhands/contract/chat-widget'

/**
 * The contract's keys plus the widget's own form labels, statuses and errors. An inbox overrides any of them in
 * `appearance.texts` (the server accepts any letters-and-digits key), so all of them are translatable.
 */
export type TextKey =
  | WidgetTextKey
  | 'you'
  | 'sending'
  | 'notSent'
  | 'nameLabel'
  | 'emailLabel'
  | 'messageLabel'
  | 'sendOffline'
  | 'commentLabel'
  | 'sendRating'
  | 'starLabel'
  | 'fileTooLarge'
  | 'uploading'
  | 'uploadFailed'
  | 'requiredField'
  | 'invalidEmail'
  | 'errorGeneric'
  | 'unread'
  | 'treeStart'
  | 'treeContinue'
  | 'treeAnswerLabel'
  | 'treeArticle'
  | 'treeSolved'
  | 'treeNeedHelp'
  | 'treeHandoffTitle'
  | 'treeHandoffChat'
  | 'treeHandoffOffline'
  | 'treeThanks'
  | 'treeAgain'

/** English defaults for every text the widget shows. */
const DEFAULTS: Record<TextKey, string> = {
  ...DEFAULT_WIDGET_TEXTS,
  you: 'You',
  sending: 'Sending…',
  notSent: 'Not sent: {reason}',
  nameLabel: 'Name',
  emailLabel: 'Email',
  messageLabel: 'Message',
  sendOffline: 'Send message',
  commentLabel: 'Comment (optional)',
  sendRating: 'Send rating',
  starLabel: '{n} of 5',
  fileTooLarge: '{name} is too large (the limit is {max}).',
  uploading: 'Uploading {name}',
  uploadFailed: 'The upload failed: {reason}',
  requiredField: 'Please fill in “{field}”.',
  invalidEmail: 'Please enter a valid email address.',
  errorGeneric: 'Something went wrong. Please try again.',
  unread: '{n} unread',
  treeStart: 'Find an answer',
  treeContinue: 'Continue',
  treeAnswerLabel: 'Your answer',
  treeArticle: 'Read the article',
  treeSolved: 'This solved it',
  treeNeedHelp: 'I still need help',
  treeHandoffTitle: 'Let’s get you to a person',
  treeHandoffChat: 'We pass your answers on, so you won’t have to repeat them.',
  treeHandoffOffline: 'Nobody is available right now. We pass your answers on and reply by email.',
  treeThanks: 'Glad that helped!',
  treeAgain: 'Start over',
}

export type Translate = (key: TextKey, vars?: Record<string, string | number>) => string

/** A translator over the inbox's texts: overrides first, then the English default; `{var}` placeholders filled in. */
export function translator(overrides: Record<string, string>): Translate {
  return (key, vars) => {
    const own = overrides[key]
    const text = typeof own === 'string' && own.trim() ? own : DEFAULTS[key]
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m)) : text
  }
}

/** A byte count for people: "512 KB", "10 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`
  const mb = bytes / (1024 * 1024)
  return `${mb >= 10 ? Math.round(mb) : Math.round(mb * 10) / 10} MB`
}
