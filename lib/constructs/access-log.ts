import { AccessLogField, AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';

/**
 * One JSON object a request, of `$context` fields that carry no secret. Never the query string (recipients send
 * `?token=`), the body, a header (`Authorization: Invitation <token>`) or API Gateway's validation message, which
 * quotes the value it refused. The caller shows as an IAM ARN (administrators) or `invitation:<id>` (delegates).
 */
export const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: AccessLogField.contextRequestId(),
    requestTime: AccessLogField.contextRequestTime(),
    sourceIp: AccessLogField.contextIdentitySourceIp(),
    administrator: AccessLogField.contextIdentityUserArn(),
    delegate: AccessLogField.contextAuthorizerPrincipalId(),
    httpMethod: AccessLogField.contextHttpMethod(),
    resourcePath: AccessLogField.contextResourcePath(),
    protocol: AccessLogField.contextProtocol(),
    status: AccessLogField.contextStatus(),
    responseLength: AccessLogField.contextResponseLength(),
    responseLatency: AccessLogField.contextResponseLatency(),
    integrationStatus: AccessLogField.contextIntegrationStatus(),
    integrationLatency: AccessLogField.contextIntegrationLatency(),
    gatewayError: AccessLogField.contextErrorResponseType(),
    authorizerError: AccessLogField.contextAuthorizerError(),
    wafResponseCode: AccessLogField.contextWafResponseCode(),
    xrayTraceId: AccessLogField.contextXrayTraceId(),
  }),
);
