/*
| The platforms this install speaks. The core knows adapters only through
| the registry, so no file under server/ imports a platform library.
*/
import { registerChannel } from '#channels/registry'
import { telegramChannel } from '#bots/telegram/adapter'
import { apiChannel } from '#bots/api/adapter'
import { registerWorkspace } from '#channels/workspace'
import { slackWorkspace } from '#bots/slack/adapter'
import { telegramWorkspace } from '#bots/telegram/workspace'

registerChannel(telegramChannel)
registerChannel(apiChannel)
registerWorkspace(slackWorkspace)
registerWorkspace(telegramWorkspace)
