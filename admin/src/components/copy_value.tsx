import { useState } from 'react'
import { App, Button, Input, Space, Tooltip } from 'antd'
import { CheckOutlined, CopyOutlined } from '@ant-design/icons'

/** A URL the server gave as a path (no PUBLIC_URL set) becomes one on the address in use. */
export function absoluteUrl(value: string): string {
  return value.startsWith('/') ? `${window.location.origin}${value}` : value
}

async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // Without the async clipboard (plain http, old browsers): a selected textarea.
    const area = document.createElement('textarea')
    area.value = text
    area.style.position = 'fixed'
    area.style.opacity = '0'
    document.body.appendChild(area)
    area.select()
    const ok = document.execCommand('copy')
    area.remove()
    return ok
  }
}

/**
 * A value to copy somewhere else (a key, a URL): read-only, selectable,
 * with a copy button named after what it copies.
 */
export function CopyValue({
  value,
  label,
  testId,
  secret = false,
}: {
  value: string
  /** What is copied, for the button's accessible name ("Copy inbound key"). */
  label: string
  testId?: string
  secret?: boolean
}) {
  const { message } = App.useApp()
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    if (await copyText(value)) {
      setCopied(true)
      message.success(`${label[0].toUpperCase()}${label.slice(1)} copied`)
      setTimeout(() => setCopied(false), 2000)
    } else {
      message.error('Copying failed: select the text and copy it yourself.')
    }
  }
  return (
    <Space.Compact style={{ width: '100%' }}>
      <Input
        readOnly
        value={value}
        aria-label={label}
        data-testid={testId}
        onFocus={(e) => e.target.select()}
        style={{ fontFamily: secret ? 'monospace' : undefined }}
      />
      <Tooltip title={copied ? 'Copied' : 'Copy'}>
        <Button
          icon={copied ? <CheckOutlined /> : <CopyOutlined />}
          onClick={copy}
          aria-label={`Copy ${label}`}
          data-testid={testId ? `${testId}-copy` : undefined}
        />
      </Tooltip>
    </Space.Compact>
  )
}
