import type { HttpError } from '@refinedev/core'
import { API, apiHeaders } from '../providers/http'
import { toHttpError } from '../providers/data_core'

export type UploadProgress = { loaded: number; total: number; percent: number }

/**
 * A multipart POST with upload progress, which fetch cannot report. Same
 * contract as api(): the CSRF header, and non-2xx answers (or no answer)
 * rejected as Refine's HttpError with the API's field errors.
 */
export function uploadForm<T = any>(
  path: string,
  form: FormData,
  opts: { onProgress?: (progress: UploadProgress) => void; signal?: AbortSignal } = {}
): Promise<T> {
  const url = path.startsWith('/') && !path.startsWith(API) ? API + path : path
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.withCredentials = true
    for (const [name, value] of Object.entries(apiHeaders())) xhr.setRequestHeader(name, value)

    xhr.upload.onprogress = (event) => {
      if (!event.lengthComputable) return
      opts.onProgress?.({
        loaded: event.loaded,
        total: event.total,
        percent: Math.round((event.loaded / event.total) * 100),
      })
    }
    xhr.onload = () => {
      let body: unknown = null
      if ((xhr.getResponseHeader('content-type') ?? '').includes('json')) {
        try {
          body = JSON.parse(xhr.responseText)
        } catch {
          body = null
        }
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(body as T)
      reject(toHttpError(xhr.status, body, xhr.getResponseHeader('retry-after')))
    }
    const fail = (message: string) => () => {
      const error: HttpError = { statusCode: 0, message }
      reject(error)
    }
    xhr.onerror = fail('The server cannot be reached.')
    xhr.ontimeout = fail('The upload timed out.')
    xhr.onabort = fail('Cancelled.')
    if (opts.signal) {
      if (opts.signal.aborted) return xhr.abort()
      opts.signal.addEventListener('abort', () => xhr.abort(), { once: true })
    }
    xhr.send(form)
  })
}
