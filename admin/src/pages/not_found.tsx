import { NotFound } from '../components/not_found'

export default NotFound
