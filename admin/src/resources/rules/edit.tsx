import { RuleForm } from './form'

export default function RuleEdit() {
  return <RuleForm action="edit" />
}
