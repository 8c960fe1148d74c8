import type { AttributePredicate, EngagementRule, FitRule } from '../../../shared/schemas/model';
import { OP_HINT, OPS, predicateValue, toPredicate, type Op } from './predicates';
import { eventText, parseEvents } from './draft';

const points = (text: string) => (text.trim() === '' ? Number.NaN : Number(text));

/** The two fields every rule has, written once for fit and engagement rules. */
function LabelAndPoints<R extends FitRule | EngagementRule>({ rule, onChange }: { rule: R; onChange: (rule: R) => void }) {
  return (
    <>
      <label>
        Label
        <input value={rule.label} onInput={(e) => onChange({ ...rule, label: e.currentTarget.value })} />
      </label>
      <label>
        Points
        <input type="number" value={rule.points} onInput={(e) => onChange({ ...rule, points: points(e.currentTarget.value) })} />
      </label>
    </>
  );
}

/** One fit rule: its label, points, and the attribute conditions that must all hold. */
export function FitRuleForm({ rule, onChange, onRemove }: { rule: FitRule; onChange: (rule: FitRule) => void; onRemove: () => void }) {
  const setCondition = (i: number, p: AttributePredicate) => onChange({ ...rule, when: rule.when.map((c, j) => (j === i ? p : c)) });
  return (
    <fieldset class="rule" aria-label={`Fit rule ${rule.label}`}>
      <legend>Fit rule {rule.id}</legend>
      <LabelAndPoints rule={rule} onChange={onChange} />
      {rule.when.map((condition, i) => (
        <div class="condition" role="group" aria-label={`Condition ${i + 1}`} key={i}>
          <label>
            Attribute
            <input value={condition.attr} onInput={(e) => setCondition(i, toPredicate(e.currentTarget.value, condition.op, predicateValue(condition)))} />
          </label>
          <label>
            Operator
            <select value={condition.op} onChange={(e) => setCondition(i, toPredicate(condition.attr, e.currentTarget.value as Op, predicateValue(condition)))}>
              {OPS.map((op) => (
                <option key={op} value={op}>{op}</option>
              ))}
            </select>
          </label>
          {condition.op !== 'exists' && (
            <label>
              {`Value (${OP_HINT[condition.op]})`}
              <input value={predicateValue(condition)} onChange={(e) => setCondition(i, toPredicate(condition.attr, condition.op, e.currentTarget.value))} />
            </label>
          )}
          <button type="button" onClick={() => onChange({ ...rule, when: rule.when.filter((_, j) => j !== i) })}>Remove condition</button>
        </div>
      ))}
      <button type="button" onClick={() => onChange({ ...rule, when: [...rule.when, { attr: 'industry', op: 'exists' }] })}>Add condition</button>
      <button type="button" class="destructive" onClick={onRemove}>Remove rule</button>
    </fieldset>
  );
}

/** One engagement rule: its label, points, and the event name(s) it counts (its other fields in the JSON). */
export function EngagementRuleForm({ rule, onChange, onRemove }: { rule: EngagementRule; onChange: (rule: EngagementRule) => void; onRemove: () => void }) {
  return (
    <fieldset class="rule" aria-label={`Engagement rule ${rule.label}`}>
      <legend>Engagement rule {rule.id}</legend>
      <LabelAndPoints rule={rule} onChange={onChange} />
      <label>
        Event (comma-separated names)
        <input value={eventText(rule.event)} onChange={(e) => onChange({ ...rule, event: parseEvents(e.currentTarget.value) })} />
      </label>
      <label class="check">
        <input type="checkbox" checked={rule.milestone === true} onChange={(e) => onChange({ ...rule, milestone: e.currentTarget.checked || undefined })} />
        Milestone
      </label>
      <button type="button" class="destructive" onClick={onRemove}>Remove rule</button>
    </fieldset>
  );
}
