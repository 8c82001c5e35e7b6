/*
| The platforms this install speaks. The core knows adapters only through
| the registry, so no file under server/ imports a platform library.
*/
import { registerChannel } from '#channels/registry'
import { telegramChannel } from '#bots/telegram/adapter'
import { apiChannel } from '#bots/api/adapter'

registerChannel(telegramChannel)
registerChannel(apiChannel)
