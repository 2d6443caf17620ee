// electron-updater's HTTP goes through Electron's net module in the app; in tests it goes through
// Node's http/https with this executor (the same requests, checksums and redirects, from
// builder-util-runtime's HttpExecutor).
import http from 'node:http';
import https from 'node:https';
import type { DownloadOptions, RequestHeaders } from 'builder-util-runtime';
import { configureRequestOptions, configureRequestUrl, HttpExecutor } from 'builder-util-runtime';

export class NodeHttpExecutor extends HttpExecutor<http.ClientRequest> {
  createRequest(
    options: http.RequestOptions,
    callback: (response: http.IncomingMessage) => void,
  ): http.ClientRequest {
    return (options.protocol === 'https:' ? https.request : http.request)(options, callback);
  }

  /** What electron-updater calls to fetch an installer into `destination`, verifying it. */
  download(url: URL, destination: string, options: DownloadOptions): Promise<string> {
    return options.cancellationToken.createPromise<string>((resolve, reject, onCancel) => {
      const requestOptions: http.RequestOptions & { headers: RequestHeaders } = {
        headers: { ...(options.headers ?? {}) },
      };
      configureRequestUrl(url, requestOptions);
      configureRequestOptions(requestOptions);
      this.doDownload(
        requestOptions,
        {
          destination,
          options,
          onCancel,
          callback: (error) => (error ? reject(error) : resolve(destination)),
          responseHandler: null,
        },
        0,
      );
    });
  }
}
