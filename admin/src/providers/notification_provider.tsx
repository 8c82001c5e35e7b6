import type { NotificationProvider } from '@refinedev/core'
import { App } from 'antd'

/** Refine's success and error notices, shown with antd's notification from the App context. */
export function useNotificationProvider(): NotificationProvider {
  const { notification } = App.useApp()
  return {
    open: ({ key, message, description, type }) => {
      // The login form shows its own error next to the fields.
      if (type === 'progress' || key === 'login-error') return
      notification.open({
        key,
        message,
        description,
        type: type === 'error' ? 'error' : 'success',
        placement: 'bottomRight',
      })
    },
    close: (key) => notification.destroy(key),
  }
}
