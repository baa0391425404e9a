import { describe, expect, it } from 'vitest';
import { addDecimal, compareDecimal, currencyPlaces, decimalSeparator, formatAxisMoney, formatCurrency, formatMoney, isZeroAmount, parseAmountInput, parseDecimal, roundDecimal, withSign } from './money';

describe('decimal strings', () => {
  it('splits API decimals and refuses anything else', () => {
    expect(parseDecimal('-1250.50')).toEqual({ negative: true, int: '1250', frac: '50' });
    expect(parseDecimal('7')).toEqual({ negative: false, int: '7', frac: '' });
    for (const bad of ['', '1.', '.5', '1e3', '+1', '1,5', ' 1', 'NaN', '--1', '1.2.3']) expect(parseDecimal(bad)).toBeNull();
  });

  it('compares exactly, past what a double holds', () => {
    expect(compareDecimal('10.5', '10.49')).toBe(1);
    expect(compareDecimal('-0.01', '0')).toBe(-1);
    expect(compareDecimal('2.50', '2.5')).toBe(0);
    expect(compareDecimal('90071992547409931.01', '90071992547409931.02')).toBe(-1);
    expect(() => compareDecimal('1', 'x')).toThrow(RangeError);
  });

  it('adds exactly', () => {
    expect(addDecimal('0.10', '0.20')).toBe('0.30');
    expect(addDecimal('310.50', '-40')).toBe('270.50');
    expect(addDecimal('-0.05', '0.02')).toBe('-0.03');
    expect(addDecimal('40.00', '-40.00')).toBe('0.00');
    expect(addDecimal('99999999999999.99', '0.01')).toBe('100000000000000.00');
    expect(() => addDecimal('1.0', '1,0')).toThrow(RangeError);
  });

  it('knows zero written any way', () => {
    expect(isZeroAmount('0.00')).toBe(true);
    expect(isZeroAmount('-0.00')).toBe(true);
    expect(isZeroAmount('0')).toBe(true);
    expect(isZeroAmount('0.01')).toBe(false);
    expect(isZeroAmount('')).toBe(false);
    expect(isZeroAmount('zero')).toBe(false);
  });

  it('puts a sign on an unsigned amount', () => {
    expect(withSign('40.00', -1)).toBe('-40.00');
    expect(withSign('40.00', 1)).toBe('40.00');
    expect(withSign('-40.00', -1)).toBe('-40.00');
    expect(withSign('-40.00', 1)).toBe('40.00');
  });
});

describe('formatting money in a currency', () => {
  it('uses the locale’s symbol and grouping around the exact digits', () => {
    expect(formatCurrency('1250.50', 'USD', { locale: 'en-US' })).toBe('$1,250.50');
    expect(formatCurrency('-40.00', 'GBP', { locale: 'en-GB' })).toBe('-£40.00');
    expect(formatCurrency('1250.50', 'EUR', { locale: 'de-DE' })).toBe('1.250,50\u00a0€');
    expect(formatCurrency('1500', 'JPY', { locale: 'en-US' })).toBe('¥1,500');
  });

  it('never rounds through a double', () => {
    expect(formatCurrency('12345678901234567.89', 'USD', { locale: 'en-US' })).toBe('$12,345,678,901,234,567.89');
    expect(formatCurrency('0.10', 'USD', { locale: 'en-US' })).toBe('$0.10');
    expect(formatCurrency('1.005', 'USD', { locale: 'en-US' })).toBe('$1.005');
  });

  it('keeps the sign of amounts under one', () => {
    expect(formatCurrency('-0.50', 'USD', { locale: 'en-US' })).toBe('-$0.50');
    expect(formatCurrency('-0.00', 'USD', { locale: 'en-US' })).toBe('$0.00');
  });

  it('signs changes when asked', () => {
    expect(formatCurrency('250.50', 'USD', { locale: 'en-US', signed: true })).toBe('+$250.50');
    expect(formatCurrency('-40.00', 'USD', { locale: 'en-US', signed: true })).toBe('-$40.00');
    expect(formatCurrency('0.00', 'USD', { locale: 'en-US', signed: true })).toBe('$0.00');
  });

  it('falls back without failing', () => {
    expect(formatCurrency(null, 'USD')).toBe('–');
    expect(formatCurrency('', 'USD')).toBe('–');
    expect(formatCurrency('n/a', 'USD')).toBe('n/a');
    expect(formatCurrency('12.00', 'usd!', { locale: 'en-US' })).toBe('12.00 usd!');
    expect(formatCurrency('12.00', 'XQZ', { locale: 'en-US' })).toMatch(/12\.00/);
    expect(formatCurrency('12.00', 'usd!', { locale: 'en-US', signed: true })).toBe('+12.00 usd!');
  });

  it('labels chart axes compactly, even for a currency Intl does not know', () => {
    expect(formatAxisMoney(1250, 'USD', 'en-US')).toBe('$1.3K');
    expect(formatAxisMoney(0, 'USD', 'en-US')).toBe('$0');
    expect(formatAxisMoney(-350.5, 'GBP', 'en-GB')).toBe('-£350.5');
    expect(formatAxisMoney(1250, 'usd!', 'en-US')).toBe('1.3K');
  });

  it('finds the locale’s decimal separator', () => {
    expect(decimalSeparator('en-GB')).toBe('.');
    expect(decimalSeparator('de-DE')).toBe(',');
    expect(decimalSeparator('not a locale!')).toBe('.');
  });
});

describe('reading a typed amount', () => {
  const ok = (value: string) => ({ ok: true, value });
  const bad = (problem: string) => ({ ok: false, problem });

  it('takes plain and grouped amounts', () => {
    expect(parseAmountInput('40')).toEqual(ok('40'));
    expect(parseAmountInput(' 40.5 ')).toEqual(ok('40.5'));
    expect(parseAmountInput('1,250.50')).toEqual(ok('1250.50'));
    expect(parseAmountInput('1 250,50', ',')).toEqual(ok('1250.50'));
    expect(parseAmountInput('1.250,50', ',')).toEqual(ok('1250.50'));
    expect(parseAmountInput('1.250', ',')).toEqual(ok('1250'));
    expect(parseAmountInput('1,250')).toEqual(ok('1250'));
    expect(parseAmountInput('12,5')).toEqual(ok('12.5'));
    expect(parseAmountInput('.5')).toEqual(ok('0.5'));
    expect(parseAmountInput('007.10')).toEqual(ok('7.10'));
    expect(parseAmountInput('+3')).toEqual(ok('3'));
    expect(parseAmountInput('12.')).toEqual(ok('12'));
  });

  it('refuses a sign, zero, junk and what the API could never take', () => {
    expect(parseAmountInput('')).toEqual(bad('empty'));
    expect(parseAmountInput('   ')).toEqual(bad('empty'));
    expect(parseAmountInput('-40')).toEqual(bad('negative'));
    expect(parseAmountInput('\u221240')).toEqual(bad('negative'));
    expect(parseAmountInput('0')).toEqual(bad('zero'));
    expect(parseAmountInput('0.000')).toEqual(bad('zero'));
    for (const junk of ['abc', '12a', '1e3', '$40', '1.2.3', '1,2,3', '12,34,567', '.', '1..2', 'NaN', 'Infinity', '0x10'])
      expect(parseAmountInput(junk)).toEqual(bad('format'));
    expect(parseAmountInput('123456789012345')).toEqual(bad('too_large'));
    expect(parseAmountInput('12345678901234')).toEqual(ok('12345678901234'));
    expect(parseAmountInput('1.1234567')).toEqual(bad('too_precise'));
    expect(parseAmountInput('1.123456')).toEqual(ok('1.123456'));
  });
});

describe('money in its currency\'s places (issue 11)', () => {
  it('knows the places of a currency', () => {
    expect([currencyPlaces('USD'), currencyPlaces('JPY'), currencyPlaces('BHD'), currencyPlaces('XXX1')]).toEqual([2, 0, 3, 2]);
  });
  it('rounds exactly, half away from zero, and leaves shorter values alone', () => {
    expect(roundDecimal('-25.000000', 0)).toBe('-25');
    expect(roundDecimal('1.005', 2)).toBe('1.01');
    expect(roundDecimal('-1.005', 2)).toBe('-1.01');
    expect(roundDecimal('-0.004', 2)).toBe('0.00');
    expect(roundDecimal('99999999999999.999999', 2)).toBe('100000000000000.00');
    expect(roundDecimal('12.5', 2)).toBe('12.5');
    expect(roundDecimal('junk', 2)).toBe('junk');
  });
  it('formats money with the currency\'s places', () => {
    expect(formatMoney('0.000000', 'JPY', { locale: 'en' })).toBe('¥0');
    expect(formatMoney('1199.750000', 'USD', { locale: 'en' })).toBe('$1,199.75');
    expect(formatMoney(null, 'USD')).toBe('–');
  });
});
