import type { Node } from 'web-tree-sitter';
import { childNodes, literalString, type BicepParam } from './bicep';

type Value = string | number | boolean | null;

/**
 * Evaluates the small subset of Bicep expressions infra/ uses for switches and choices (literals, parameters, `!`,
 * `&&`, `||`, comparisons, `c ? a : b`, `empty()`, `length()`, `trim()`, parentheses), with given parameter
 * values falling back to the parameters' own defaults.
 * Anything else throws, so a switch written differently is noticed rather than guessed.
 */
export function evaluate(node: Node, params: Map<string, BicepParam>, given: Record<string, Value> = {}): Value {
  const recurse = (child: Node | null | undefined): Value => {
    if (!child) throw new Error(`incomplete expression: ${node.text}`);
    return evaluate(child, params, given);
  };
  switch (node.type) {
    case 'boolean':
      return node.text === 'true';
    case 'null':
      return null;
    case 'number':
      return Number(node.text);
    case 'string': {
      const text = literalString(node);
      if (text === undefined) throw new Error(`interpolated string: ${node.text}`);
      return text;
    }
    case 'parenthesized_expression':
      return recurse(childNodes(node)[0]);
    case 'identifier': {
      if (node.text in given) return given[node.text]!;
      const param = params.get(node.text);
      if (!param?.defaultValue) throw new Error(`no value for ${node.text}`);
      return recurse(param.defaultValue);
    }
    case 'unary_expression': {
      const operator = node.children.find((child) => child && !child.isNamed)?.text;
      if (operator !== '!') throw new Error(`unsupported operator ${operator}`);
      return !recurse(node.childForFieldName('argument'));
    }
    case 'binary_expression': {
      const operator = node.children.find((child) => child && !child.isNamed)?.text;
      const left = recurse(node.childForFieldName('left'));
      const right = () => recurse(node.childForFieldName('right'));
      if (operator === '&&') return Boolean(left) && Boolean(right());
      if (operator === '||') return Boolean(left) || Boolean(right());
      if (operator === '==') return left === right();
      if (operator === '!=') return left !== right();
      if (['>=', '<=', '>', '<'].includes(operator ?? '')) {
        const [a, b] = [Number(left), Number(right())];
        return operator === '>=' ? a >= b : operator === '<=' ? a <= b : operator === '>' ? a > b : a < b;
      }
      throw new Error(`unsupported operator ${operator}`);
    }
    case 'call_expression': {
      const name = node.childForFieldName('function')?.text;
      const args = childNodes(node.childForFieldName('arguments')!);
      if (name === 'empty' && args.length === 1) {
        const value = recurse(args[0]);
        return value === null || value === '';
      }
      if (name === 'trim' && args.length === 1) return String(recurse(args[0]) ?? '').trim();
      if (name === 'length' && args.length === 1) return String(recurse(args[0]) ?? '').length;
      throw new Error(`unsupported function ${name}`);
    }
    case 'ternary_expression':
      return recurse(node.childForFieldName('condition'))
        ? recurse(node.childForFieldName('consequence'))
        : recurse(node.childForFieldName('alternative'));
    default:
      throw new Error(`unsupported expression ${node.type}: ${node.text}`);
  }
}
