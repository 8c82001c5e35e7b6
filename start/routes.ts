/*
| Routes. The REST API lives under /api/v1 and is described by the OpenAPI
| document served at /api/v1/openapi.json (server/services/openapi.ts); a
| test keeps the two in step.
*/
import router from '@adonisjs/core/services/router'
import transmit from '@adonisjs/transmit/services/main'
import { middleware } from '#start/kernel'
import { liveStreamGuard } from '#start/transmit'

const HealthController = () => import('#controllers/health_controller')
const OpenApiController = () => import('#controllers/openapi_controller')
const SessionController = () => import('#controllers/session_controller')
const AccessTokensController = () => import('#controllers/access_tokens_controller')
const UsersController = () => import('#controllers/users_controller')
const TeamsController = () => import('#controllers/teams_controller')
const TeamMembershipsController = () => import('#controllers/team_memberships_controller')
const ContactsController = () => import('#controllers/contacts_controller')
const ConversationsController = () => import('#controllers/conversations_controller')
const MessagesController = () => import('#controllers/messages_controller')
const TagsController = () => import('#controllers/tags_controller')
const AuditLogsController = () => import('#controllers/audit_logs_controller')
const ChannelsController = () => import('#controllers/channels_controller')
const WebhooksController = () => import('#controllers/webhooks_controller')
const DeliveryController = () => import('#controllers/delivery_controller')
const WorkspacesController = () => import('#controllers/workspaces_controller')
const OperatorIdentitiesController = () => import('#controllers/operator_identities_controller')
const KnowledgeCollectionsController = () => import('#controllers/knowledge_collections_controller')
const KnowledgeDocumentsController = () => import('#controllers/knowledge_documents_controller')
const KnowledgeSearchController = () => import('#controllers/knowledge_search_controller')
const RulesController = () => import('#controllers/rules_controller')
const EventsController = () => import('#controllers/events_controller')
const UsageController = () => import('#controllers/usage_controller')
const ReportsController = () => import('#controllers/reports_controller')
const AdminPanelController = () => import('#controllers/admin_panel_controller')

// Ids in paths: digits only, within the column's range, else the route is a 404.
const id = { match: /^[1-9]\d{0,8}$/, cast: (value: string) => Number(value) }
const bigId = { match: /^[1-9]\d{0,17}$/, cast: (value: string) => Number(value) }

router.get('/health', [HealthController, 'show'])

// The admin panel: its built files, and index.html for its client-side routes.
router.get('/', ({ response }) => response.redirect('/admin/'))
router.get('/admin', [AdminPanelController, 'show']).as('admin.index')
router.get('/admin/*', [AdminPanelController, 'show']).as('admin.files')

// Live updates (Server-Sent Events): GET __transmit/events, POST __transmit/subscribe
// and __transmit/unsubscribe, for signed-in users only (start/transmit.ts).
transmit.registerRoutes((route) => {
  route.middleware([middleware.auth(), liveStreamGuard])
})
router
  .post('/webhooks/telegram/:channelId', [WebhooksController, 'telegram'])
  .where('channelId', id)
router.post('/webhooks/slack/:workspaceId', [WebhooksController, 'slack']).where('workspaceId', id)

router
  .group(() => {
    router.get('/openapi.json', [OpenApiController, 'show'])

    router.post('/auth/login', [SessionController, 'store'])
    router.post('/auth/tokens', [AccessTokensController, 'store'])
    // Authenticated by the channel's inbound key, not a user.
    router.post('/channels/:id/inbound', [WebhooksController, 'apiInbound']).where('id', id)

    router
      .group(() => {
        router.post('/auth/logout', [SessionController, 'destroy'])
        router.get('/auth/tokens', [AccessTokensController, 'index'])
        router.delete('/auth/tokens/:id', [AccessTokensController, 'destroy']).where('id', id)
        router.get('/me', [SessionController, 'me'])
        router.patch('/me', [SessionController, 'update'])
        router.get('/me/logins', [SessionController, 'logins'])

        router.resource('users', UsersController).apiOnly().where('id', id)
        router.resource('teams', TeamsController).apiOnly().where('id', id)
        router
          .post('/teams/:id/assistant/preview', [TeamsController, 'previewAssistant'])
          .where('id', id)
        router
          .get('/teams/:teamId/members', [TeamMembershipsController, 'index'])
          .where('teamId', id)
        router
          .post('/teams/:teamId/members', [TeamMembershipsController, 'store'])
          .where('teamId', id)
        router
          .delete('/teams/:teamId/members/:userId', [TeamMembershipsController, 'destroy'])
          .where('teamId', id)
          .where('userId', id)

        router.resource('contacts', ContactsController).apiOnly().where('id', id)
        router.resource('conversations', ConversationsController).apiOnly().where('id', id)
        router.post('/conversations/:id/tags', [ConversationsController, 'addTags']).where('id', id)
        router
          .delete('/conversations/:id/tags/:tag', [ConversationsController, 'removeTag'])
          .where('id', id)
        router
          .resource('conversations.messages', MessagesController)
          .apiOnly()
          .where('conversation_id', id)
          .where('id', bigId)
        router.resource('tags', TagsController).apiOnly().where('id', id)
        router.get('/audit-logs', [AuditLogsController, 'index'])

        router.resource('channels', ChannelsController).apiOnly().where('id', id)
        router.post('/channels/:id/start', [ChannelsController, 'start']).where('id', id)
        router.post('/channels/:id/stop', [ChannelsController, 'stop']).where('id', id)
        router.resource('workspaces', WorkspacesController).apiOnly().where('id', id)
        router
          .resource('operator-identities', OperatorIdentitiesController)
          .only(['index', 'store', 'destroy'])
          .where('id', id)
        router
          .group(() => {
            router.resource('collections', KnowledgeCollectionsController).apiOnly().where('id', id)
            router.resource('documents', KnowledgeDocumentsController).apiOnly().where('id', bigId)
            router
              .get('/documents/:id/chunks', [KnowledgeDocumentsController, 'chunks'])
              .where('id', bigId)
            router.get('/search', [KnowledgeSearchController, 'show'])
          })
          .prefix('/knowledge')
        router.get('/rules/export', [RulesController, 'export'])
        router.get('/rules/schema', [RulesController, 'schema'])
        router.get('/rules/signing-secret', [RulesController, 'signingSecret'])
        router.post('/rules/import', [RulesController, 'import'])
        router.post('/rules/reorder', [RulesController, 'reorder'])
        router.resource('rules', RulesController).apiOnly().where('id', id)
        router.post('/rules/:id/enable', [RulesController, 'enable']).where('id', id)
        router.post('/rules/:id/disable', [RulesController, 'disable']).where('id', id)
        router.get('/rules/:id/executions', [RulesController, 'executions']).where('id', id)
        router.post('/rules/:id/dry-run', [RulesController, 'dryRun']).where('id', id)
        router.post('/events', [EventsController, 'store'])
        router.get('/usage', [UsageController, 'show'])
        router.get('/reports/overview', [ReportsController, 'overview'])
        router.get('/reports/conversations.csv', [ReportsController, 'conversationsCsv'])
        router.post('/messages/:id/retry', [DeliveryController, 'retry']).where('id', bigId)
        router
          .get('/messages/:id/attachments/:index', [DeliveryController, 'attachment'])
          .where('id', bigId)
          .where('index', { match: /^\d{1,2}$/, cast: (value: string) => Number(value) })
      })
      .use(middleware.auth())
  })
  .prefix('/api/v1')
