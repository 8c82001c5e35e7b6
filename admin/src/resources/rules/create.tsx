import { RuleForm } from './form'

export default function RuleCreate() {
  return <RuleForm action="create" />
}
